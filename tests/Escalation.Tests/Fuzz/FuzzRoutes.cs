using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Escalation.Tests.Api;
using static Escalation.Tests.Fuzz.FuzzValues;

namespace Escalation.Tests.Fuzz;

/// <summary>Generated requests for every route of the service: <c>/api/v1</c>, <c>/v2/enqueue</c>, the webhooks and the email links.</summary>
public sealed class FuzzRoutes(string routingKey, string incidentId)
{
    private static readonly string[] Resources = ["users", "teams", "escalation-policies", "services", "rotations"];
    private static readonly string[] KnownIds = ["oncall", "b1", "boss", "slacker", "team-backend", "leadership", "default", "api", "primary"];
    private static readonly string[] OddSegments = ["..", ".", "%", "%2F", "%01", "%zz", "a%2Fb", "~", "%C0%AF", "%FF", "%7B%7D", "%25", "%20", "+", "%0A"];

    private static readonly Gen<string> Authorization = Gen.Frequency(
        (18, Gen.Const("Bearer " + EscalationApp.AdminKey)),
        (1, Gen.OneOf("Bearer ", "Bearer esk_nope", "Basic YWRtaW46YWRtaW4=", "bearer " + EscalationApp.AdminKey, "Bearer " + new string('k', 5000))),
        (1, Text.Select(t => "Bearer " + t.Replace("\n", "").Replace("\r", ""))));

    private static readonly Gen<string?> JsonContentType = Gen.Frequency(
        (12, Gen.Const<string?>("application/json")),
        (2, Gen.OneOf<string?>("application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/xml", "application/json; charset=latin1", "*/*", "???", null)));

    private static readonly Gen<string?> FormContentType = Gen.Frequency(
        (12, Gen.Const<string?>("application/x-www-form-urlencoded")),
        (2, Gen.OneOf<string?>("application/json", "text/plain", "multipart/form-data; boundary=x", null, "application/x-www-form-urlencoded; charset=utf-16")));

    /// <summary>A path segment: something that exists, any text escaped, or a segment that is odd as it stands.</summary>
    private static readonly Gen<string> Segment = Gen.Frequency(
        (3, Gen.OneOf(KnownIds)),
        (4, Text.Select(t => Escape(t).Replace("%00", "%01"))), // a NUL in a path never gets past the HTTP server
        (1, Gen.OneOf(OddSegments)),
        (1, Gen.Int[0, 99999].Select(n => $"fz-{n}")));

    private static readonly Gen<string> Method = Gen.OneOf("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

    private Gen<string> IncidentSegment => Gen.Frequency(
        (3, Gen.Const(incidentId)),
        (1, Gen.Char["0123456789ABCDEFGHJKMNPQRSTVWXYZ"].Array[26].Select(c => new string(c))),
        (2, Segment));

    /// <summary>Every route, each about as likely as the others.</summary>
    public Gen<FuzzRequest> Any => Gen.OneOf(
        // Configuration resources.
        Api(Gen.OneOf(Resources).Select(r => ("GET", $"/api/v1/{r}", (Gen<JsonNode?>?)null))),
        Api(Gen.Select(Gen.OneOf(Resources), Segment).Select(p => ("GET", $"/api/v1/{p.Item1}/{p.Item2}", (Gen<JsonNode?>?)null))),
        Api(Gen.Select(Gen.Int[0, 4], Segment).Select(p => ("PUT", $"/api/v1/{Resources[p.Item1]}/{p.Item2}", (Gen<JsonNode?>?)ResourceBodies[p.Item1].Any))),
        Api(Gen.Select(Gen.OneOf(Resources), Segment.Where(s => !KnownIds.Contains(s))).Select(p => ("DELETE", $"/api/v1/{p.Item1}/{p.Item2}", (Gen<JsonNode?>?)null))),
        // Incidents.
        Api(IncidentQuery.Select(q => ("GET", "/api/v1/incidents" + q, (Gen<JsonNode?>?)null))),
        Api(Gen.Const(("POST", "/api/v1/incidents", (Gen<JsonNode?>?)CreateIncident.Any))),
        Api(Gen.Select(IncidentSegment, Gen.OneOf("", "/notifications")).Select(p => ("GET", $"/api/v1/incidents/{p.Item1}{p.Item2}", (Gen<JsonNode?>?)null))),
        Api(Gen.Select(IncidentSegment, Gen.OneOf("acknowledge", "resolve", "escalate"))
            .Select(p => ("POST", $"/api/v1/incidents/{p.Item1}/{p.Item2}", (Gen<JsonNode?>?)IncidentAction.Any))),
        // Rotations and what hangs off them.
        Api(Gen.Select(RotationSegment, RotationReadPath).Select(p => ("GET", $"/api/v1/rotations/{p.Item1}{p.Item2}", (Gen<JsonNode?>?)null))),
        Api(RotationSegment.Select(r => ("POST", $"/api/v1/rotations/{r}/overrides", (Gen<JsonNode?>?)Override.Any))),
        Api(Gen.Select(RotationSegment, Segment).Select(p => ("DELETE", $"/api/v1/rotations/{p.Item1}/overrides/{p.Item2}", (Gen<JsonNode?>?)null))),
        Api(RotationSegment.Select(r => ("POST", $"/api/v1/rotations/{r}/swap-requests", (Gen<JsonNode?>?)SwapRequest.Any))),
        Api(Gen.Select(RotationSegment, Segment, Gen.OneOf("accept", "decline"))
            .Select(p => ("POST", $"/api/v1/rotations/{p.Item1}/swap-requests/{p.Item2}/{p.Item3}", (Gen<JsonNode?>?)SwapDecision.Any))),
        // Calendars and API keys.
        Api(Gen.Select(Gen.OneOf("rotations", "users"), Segment).Select(p => ("POST", $"/api/v1/{p.Item1}/{p.Item2}/calendar-feeds", (Gen<JsonNode?>?)Value(1)))),
        Api(Gen.Select(Gen.OneOf("rotations", "users"), Segment, Text).Select(p => ("GET", $"/api/v1/{p.Item1}/{p.Item2}/calendar.ics?token={Escape(p.Item3)}", (Gen<JsonNode?>?)null))),
        Api(Gen.OneOf(Gen.Const("GET /api/v1/calendar-feeds"), Segment.Select(s => $"DELETE /api/v1/calendar-feeds/{s}"))
            .Select(r => (r.Split(' ')[0], r.Split(' ')[1], (Gen<JsonNode?>?)null))),
        Api(Gen.OneOf(
            Gen.Const(("GET", "/api/v1/api-keys", (Gen<JsonNode?>?)null)),
            Gen.Const(("POST", "/api/v1/api-keys", (Gen<JsonNode?>?)ApiKey.Any)),
            Segment.Select(s => ("DELETE", $"/api/v1/api-keys/{s}", (Gen<JsonNode?>?)null)))),
        // Odd methods and paths.
        Api(Gen.Select(Method, Gen.OneOf("/api/v1/users", "/api/v1/incidents", "/api/v1/rotations/primary/oncall", "/api/v1/teams/team-backend"))
            .Select(p => (p.Item1, p.Item2, (Gen<JsonNode?>?)Value(2)))),
        Api(Gen.Select(Segment, Segment).Select(p => ("GET", $"/api/v1/{p.Item1}/{p.Item2}", (Gen<JsonNode?>?)null))),
        // Outside the API.
        Gen.Select(JsonBody(Enqueue.Any), JsonContentType).Select(p => new FuzzRequest("POST", "/v2/enqueue", p.Item2, p.Item1, null)),
        SlackInteraction,
        TwilioSms,
        TwilioStatus,
        Gen.Select(Gen.OneOf("GET", "POST"), LinkToken).Select(p => new FuzzRequest(p.Item1, $"/links/{p.Item2}", p.Item1 == "POST" ? "application/x-www-form-urlencoded" : null, null, null)));

    private Gen<FuzzRequest> Api(Gen<(string Method, string Path, Gen<JsonNode?>? Body)> route) =>
        route.SelectMany(r => Gen.Select(
            r.Body is null ? Gen.Const((byte[]?)null) : JsonBody(r.Body),
            JsonContentType,
            Authorization,
            (body, type, auth) => new FuzzRequest(r.Method, r.Path, body is null ? null : type, body, auth)));

    /// <summary>Mostly the shape asked for, else a broken or cut-off version of it, any JSON, raw bytes, nothing, or too much.</summary>
    private static Gen<byte[]?> JsonBody(Gen<JsonNode?> shape) => Gen.Frequency(
        (14, shape.Select(n => (byte[]?)Utf8(ToJson(n)))),
        (2, Gen.Select(shape, Gen.Double[0, 1]).Select(p => (byte[]?)Utf8(Cut(ToJson(p.Item1), p.Item2)))),
        (1, Gen.OneOf("{", "[", "{\"a\":}", "{\"a\" 1}", "{'a':1}", "{\"a\":1,}", "{\"a\":1}{\"b\":2}", "// c\n{}", "\ufeff{}", "\"str\"",
            "123", "null", "true", "[]", "{\"a\":1e999}", "{\"limit\":-0}", new string('[', 5000), new string('{', 64) + "\"a\":1",
            "{\"a\":\"\\u00\"}", "{\"a\":\"\\ud800\\u0000\"}", "{\"x\":1, \"x\":2}").Select(s => (byte[]?)Utf8(s))),
        (1, Value(3).Select(n => (byte[]?)Utf8(ToJson(n)))),
        (1, Gen.Byte.Array[0, 64].Select(b => (byte[]?)b)),
        (1, Gen.Const<byte[]?>(Array.Empty<byte>())),
        (1, Gen.Const((byte[]?)null)),
        (1, Gen.Int[1, 3].Select(mib => (byte[]?)Utf8($"{{\"name\":\"{new string('x', mib * 1024 * 1024 + 10)}\"}}"))));

    private static string Cut(string json, double at) => json[..(int)(json.Length * at)];

    private static readonly FuzzField Id = Field(KnownIds);
    private static readonly FuzzField Timestamp = Field("2026-01-05T10:00:00+09:00", "2026-06-01T00:00:00Z", "2030-01-01T00:00:00Z", "2026-01-05T10:00:00");

    private static readonly FuzzField[] ResourceBodies =
    [
        ObjectOf(("name", Field("Aiko", "")), ("email", Field("aiko@example.com", "not-an-email")), ("phone", Field("+819012345678", "090")),
            ("slack_user_id", Field("U0123456789")), ("time_zone", Field("Asia/Tokyo", "UTC")),
            ("notification_rules", ListOf(ObjectOf(("channel", Field("slack", "sms", "email", "fax")), ("after", Field("PT0S", "PT5M", "P8D")),
                ("urgency", Field("high", "low", "any")))))),
        ObjectOf(("name", Field("Backend")), ("members", ListOf(Id))),
        ObjectOf(("name", Field("Default")), ("repeat", Number(-1, 12)),
            ("levels", ListOf(ObjectOf(("escalate_after", Field("PT15M", "PT1S", "P7D", "P8D")),
                ("targets", ListOf(ObjectOf(("type", Field("user", "team", "rotation")), ("id", Id)))))))),
        ObjectOf(("name", Field("API")), ("escalation_policy_id", Field("default")), ("integration_key", Field("0123456789abcdef0123456789abcdef")),
            ("acknowledgement_timeout", Field("PT30M", "PT0S")), ("urgency", Field("high", "low", "severity")), ("slack_channel", Field("C0123456789")),
            ("locale", Field("en", "ja", "fr")), ("declaration_template", Field("{title}", "{{title}}", "{")), ("recovery_template", Field("{what_was_done}", "}"))),
        ObjectOf(("name", Field("Primary")), ("time_zone", Field("Asia/Tokyo", "America/New_York")), ("type", Field("hourly", "daily", "weekly")),
            ("shift_length", Number(-1, 10000)), ("start", Timestamp), ("participants", ListOf(Id)), ("announce_channel", Field("C0123456789"))),
    ];

    private static readonly FuzzField CreateIncident = ObjectOf(("service_id", Field("api")), ("title", Field("Checkout is failing")),
        ("severity", Field("critical", "error", "warning", "info")), ("dedup_key", Field("fuzz", "{}:{alertname=\"HighErrorRate\"}")), ("details", AnyJson(2)));

    private static readonly FuzzField IncidentAction = ObjectOf(("by", Id), ("note", Field("on it")), ("what_was_done", Field("restarted")),
        ("how_confirmed", Field("graphs")), ("follow_ups", Field("alert")));

    private static readonly FuzzField Override = ObjectOf(("type", Field("replace", "add", "remove")), ("user_id", Id), ("replaces_user_id", Id),
        ("start", Timestamp), ("end", Timestamp), ("reason", Field("holiday")));

    private static readonly FuzzField SwapRequest = ObjectOf(("requester_id", Id), ("covering_user_id", Id), ("start", Timestamp), ("end", Timestamp),
        ("reason", Field("dentist")));

    private static readonly FuzzField SwapDecision = ObjectOf(("user_id", Id));

    private static readonly FuzzField ApiKey = ObjectOf(("name", Field("ci")), ("role", Field("admin", "responder", "root")));

    private static readonly Gen<string> RotationSegment = Gen.Frequency((2, Gen.Const("primary")), (2, Segment));

    private static readonly Gen<string> RotationReadPath = Gen.OneOf(
        Gen.OneOf("/overrides", "/swap-requests", "/announcements", "/oncall", "/shifts"),
        Text.Select(t => $"/oncall?at={Escape(t)}"),
        Gen.Select(Text, Text).Select(p => $"/shifts?from={Escape(p.Item1)}&to={Escape(p.Item2)}"));

    private static readonly Gen<string> IncidentQuery = Gen.Select(
        Gen.OneOf("", "triggered", "acknowledged,resolved", " triggered , ", "open", ",,,"),
        Gen.Frequency((3, Gen.Const("")), (1, Text)),
        Gen.Frequency((2, Gen.Const("")), (1, Gen.OneOf("1", "100", "101", "0", "-1", "abc", "1.5", "99999999999", ""))),
        Gen.Frequency((2, Gen.Const("")), (1, Gen.OneOf("0", "-1", "2147483647", "x", "1e3"))),
        (status, service, limit, offset) => $"?status={Escape(status)}&service_id={Escape(service)}" +
            (limit.Length > 0 ? $"&limit={limit}" : "") + (offset.Length > 0 ? $"&offset={offset}" : ""));

    private FuzzField Enqueue => ObjectOf(
        ("routing_key", Field(routingKey, "00000000000000000000000000000000", routingKey.ToUpperInvariant())),
        ("event_action", Field("trigger", "acknowledge", "resolve", "TRIGGER")),
        ("dedup_key", Field("fuzz", "{}:{alertname=\"HighErrorRate\"}", "{", "%7B")),
        ("payload", ObjectOf(("summary", Field("Checkout is failing")), ("source", Field("prometheus")),
            ("severity", Field("critical", "error", "warning", "info")), ("timestamp", Timestamp), ("component", Field("db")),
            ("group", Field("prod")), ("class", Field("latency")), ("custom_details", AnyJson(2)))),
        ("links", ListOf(ObjectOf(("href", Field("https://grafana.example.com/d/1")), ("text", Field("Dashboard"))))),
        ("images", ListOf(AnyJson(1))));

    private Gen<FuzzRequest> SlackInteraction => Gen.Select(
        Gen.Frequency(
            (6, ObjectOf(("type", Field("block_actions")), ("user", ObjectOf(("id", Field(FuzzFixture.SlackUserId, "U0NOBODY")))),
                ("actions", ListOf(ObjectOf(("action_id", Field("incident.acknowledge", "incident.resolve", "other")),
                    ("value", Field(incidentId, "01ARZ3NDEKTSV4RRFFQ69G5FAV"))))),
                ("response_url", Field("https://hooks.slack.com/actions/T/1/x", "http://169.254.169.254/", "not a url"))).Any
                .Select(p => "payload=" + Escape(ToJson(p)))),
            (1, Text.Select(t => "payload=" + Escape(t))),
            (1, Text)),
        FormContentType, Gen.Int[0, 9],
        (body, type, sign) => new FuzzRequest("POST", "/webhooks/slack/interactions", type, Utf8(body), null, Signing.Slack, sign < 8));

    private static Gen<FuzzRequest> TwilioSms => Gen.Select(
        Form(("From", Field("+819012345678", "+15005550006", "")), ("Body", Field("1a", "1c", "1e", "aa", "cc", "STOP", "START", "HELP", "99a")),
            ("MessageSid", new FuzzField(Gen.Int.Select(i => (JsonNode?)JsonValue.Create($"SM{i:x32}")), Gen.Int.Select(i => (JsonNode?)JsonValue.Create($"SM{i:x32}"))))),
        FormContentType, Gen.Int[0, 9],
        (body, type, sign) => new FuzzRequest("POST", "/webhooks/twilio/sms", type, Utf8(body), null, Signing.Twilio, sign < 8));

    private static Gen<FuzzRequest> TwilioStatus => Gen.Select(
        Form(("MessageSid", Field("SM00000000000000000000000000000001", "SMnope")), ("MessageStatus", Field("delivered", "failed", "undelivered", "sent")),
            ("ErrorCode", Field("30003", "30005"))),
        Gen.Frequency((3, Gen.Const("")), (1, Text.Select(t => "?n=" + Escape(t)))),
        FormContentType, Gen.Int[0, 9],
        (body, query, type, sign) => new FuzzRequest("POST", "/webhooks/twilio/status" + query, type, Utf8(body), null, Signing.Twilio, sign < 8));

    /// <summary>A form body from fields whose values are text (any JSON value stands for its own text).</summary>
    private static Gen<string> Form(params (string Name, FuzzField Value)[] fields) => Gen.Frequency(
        (6, ObjectOf(fields).Any.Select(o => string.Join("&", o!.AsObject().Select(p =>
            $"{Escape(p.Key)}={Escape(p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : ToJson(p.Value))}")))),
        (1, Text),
        (1, Gen.OneOf("=", "&&&", "a=%zz", "a=%", "From", "From=%2B819012345678&From=%2B1", new string('&', 5000))));

    private static readonly Gen<string> LinkToken = Gen.Frequency(
        (2, Segment),
        (2, Gen.Select(Gen.Byte.Array[1, 80], Gen.Byte.Array[1, 40]).Select(p => $"{Base64Url(p.Item1)}.{Base64Url(p.Item2)}")),
        (1, Gen.OneOf("a.b", ".", "..", "a.", ".b", "a.b.c", "%2E")));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Percent-encodes text as a URL part; the stand-ins for unpaired surrogates become their (invalid) UTF-8 bytes.</summary>
    private static string Escape(string text) =>
        Uri.EscapeDataString(text).Replace(Uri.EscapeDataString(LoneSurrogate), "%ED%A0%80").Replace(Uri.EscapeDataString(Nul), "%00");

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
