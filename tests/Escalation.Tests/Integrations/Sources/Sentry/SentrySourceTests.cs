using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Escalation.Alerts;
using Escalation.Api.Integrations;
using Escalation.Api.Integrations.Sources.Sentry;
using Escalation.Incidents;
using Escalation.Storage.Integrations;
using static Escalation.Tests.Integrations.Sources.SourceRequests;

namespace Escalation.Tests.Integrations.Sources.Sentry;

public class SentrySourceTests
{
    private const string ClientSecret = "5f2d8a2b0f4c4b2e9a1c7e6d3b8f0a4c5f2d8a2b0f4c4b2e9a1c7e6d3b8f0a4c";
    private readonly SentrySource source = new();
    private readonly Integration signed = Integration("sentry", ClientSecret);
    private readonly Integration legacy = Integration("sentry");

    private static string Sign(string body, string secret = ClientSecret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private static Dictionary<string, string> Headers(string resource, string body, DateTimeOffset? sentAt = null, string? signature = null) => new()
    {
        ["Content-Type"] = "application/json",
        ["Request-ID"] = "9f7b1e1c5e0a4c8f8a3d1c2b4e5f6a7b",
        ["Sentry-Hook-Resource"] = resource,
        ["Sentry-Hook-Timestamp"] = (sentAt ?? Now).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        ["Sentry-Hook-Signature"] = signature ?? Sign(body),
    };

    private static string TitledAlert(string title) =>
        """{"data": {"event": {"issue_id": "1", "title": """ + JsonSerializer.Serialize(title) + "}}}";

    private SourceResult Signed(string resource, string body) => source.Read(For(signed, body, Headers(resource, body)));

    [Fact]
    public void An_issue_alert_triggers_keyed_by_the_issue_with_its_page_level_and_tags()
    {
        var alert = Signed("event_alert", SentryFixtures.IssueAlert).Single();

        Assert.Equal(AlertAction.Trigger, alert.Action);
        Assert.Equal("1117540176", alert.DedupKey);
        Assert.Equal("ReferenceError: heck is not defined", alert.Summary);
        Assert.Equal(Severity.Error, alert.Severity);
        Assert.Equal("front-end", alert.Source);
        Assert.Equal("sentry", alert.Client);
        Assert.Equal("https://sentry.io/organizations/test-org/issues/1117540176/", alert.LinksOrEmpty[0].Href);
        Assert.Equal("Sentry issue", alert.LinksOrEmpty[0].Text);
        Assert.Equal("https://sentry.io/organizations/test-org/issues/1117540176/events/e4874d664c3540c1a32eab185f12c5ab/", alert.LinksOrEmpty[1].Href);
        Assert.Equal("Chrome 75.0.3770", alert.LabelsOrEmpty["browser"]);
        Assert.Equal("ip:162.217.75.90", alert.LabelsOrEmpty["user"]);
        var details = JsonDocument.Parse(alert.DetailsJson!).RootElement;
        Assert.Equal("Very Important Alert Rule!", details.GetProperty("triggered_rule").GetString());
    }

    [Fact]
    public void An_issue_resolved_resolves_the_key_its_alert_triggered()
    {
        var trigger = Signed("event_alert", SentryFixtures.IssueAlert).Single();
        var resolve = Signed("issue", SentryFixtures.IssueResolved).Single();

        Assert.Equal(AlertAction.Resolve, resolve.Action);
        Assert.Equal(trigger.DedupKey, resolve.DedupKey);
    }

    [Theory]
    [InlineData("created")]
    [InlineData("assigned")]
    [InlineData("archived")]
    [InlineData("ignored")]
    [InlineData("unresolved")]
    public void Other_issue_actions_are_ignored(string action)
    {
        var body = SentryFixtures.IssueResolved.Replace("\"action\": \"resolved\"", $"\"action\": \"{action}\"");
        Assert.Contains(action, Signed("issue", body).Is<SourceResult.Ignored>().Reason);
    }

    [Theory]
    [InlineData("installation")]
    [InlineData("metric_alert")]
    [InlineData("comment")]
    public void Other_resources_are_ignored_once_signed(string resource) =>
        Signed(resource, SentryFixtures.Installation).Is<SourceResult.Ignored>();

    [Fact]
    public void A_missing_signature_is_unauthorized()
    {
        var headers = Headers("event_alert", SentryFixtures.IssueAlert);
        headers.Remove("Sentry-Hook-Signature");
        var result = source.Read(For(signed, SentryFixtures.IssueAlert, headers)).Is<SourceResult.Unauthorized>();
        Assert.Contains("Sentry-Hook-Signature is missing", result.Reason);
    }

    [Theory]
    [InlineData("a body changed after signing")]
    [InlineData("signed with another secret")]
    [InlineData("not hex")]
    [InlineData("truncated")]
    public void A_forged_signature_is_unauthorized(string how)
    {
        var body = SentryFixtures.IssueAlert;
        var signature = how switch
        {
            "a body changed after signing" => Sign(body.Replace("1117540176", "1117540177")),
            "signed with another secret" => Sign(body, "another-secret"),
            "not hex" => new string('z', 64),
            _ => Sign(body)[..32],
        };
        var result = source.Read(For(signed, body, Headers("event_alert", body, signature: signature))).Is<SourceResult.Unauthorized>();
        Assert.Contains("does not match", result.Reason);
    }

    [Fact]
    public void An_uppercase_hex_signature_is_the_same_signature() =>
        source.Read(For(signed, SentryFixtures.IssueAlert,
            Headers("event_alert", SentryFixtures.IssueAlert, signature: Sign(SentryFixtures.IssueAlert).ToUpperInvariant()))).Single();

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86400)]
    public void A_stale_or_future_timestamp_is_unauthorized(int seconds)
    {
        var body = SentryFixtures.IssueAlert;
        var result = source.Read(For(signed, body, Headers("event_alert", body, Now.AddSeconds(seconds)))).Is<SourceResult.Unauthorized>();
        Assert.Contains("stale", result.Reason);
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(0)]
    [InlineData(300)]
    public void A_timestamp_within_five_minutes_is_fresh(int seconds) =>
        source.Read(For(signed, SentryFixtures.IssueAlert, Headers("event_alert", SentryFixtures.IssueAlert, Now.AddSeconds(seconds)))).Single();

    [Theory]
    [InlineData(null)]
    [InlineData("yesterday")]
    [InlineData("-5")]
    [InlineData("99999999999999999999")]
    public void A_missing_or_unreadable_timestamp_is_unauthorized(string? timestamp)
    {
        var headers = Headers("event_alert", SentryFixtures.IssueAlert);
        if (timestamp is null) headers.Remove("Sentry-Hook-Timestamp");
        else headers["Sentry-Hook-Timestamp"] = timestamp;
        source.Read(For(signed, SentryFixtures.IssueAlert, headers)).Is<SourceResult.Unauthorized>();
    }

    [Fact]
    public void An_unsigned_payload_is_refused_when_the_integration_has_a_client_secret()
    {
        // Dropping the headers must not turn a signed integration into an unsigned one.
        var result = source.Read(For(signed, SentryFixtures.LegacyPlugin)).Is<SourceResult.Unauthorized>();
        Assert.Contains("client secret", result.Reason);
    }

    [Fact]
    public void An_integration_platform_webhook_is_refused_when_there_is_no_client_secret_to_check_it() =>
        source.Read(For(legacy, SentryFixtures.IssueAlert, Headers("event_alert", SentryFixtures.IssueAlert))).Is<SourceResult.Unauthorized>();

    [Fact]
    public void The_legacy_plugin_triggers_keyed_by_the_same_issue_id()
    {
        var alert = source.Read(For(legacy, SentryFixtures.LegacyPlugin)).Single();

        Assert.Equal(AlertAction.Trigger, alert.Action);
        Assert.Equal("1117540176", alert.DedupKey);
        Assert.Equal("ReferenceError: heck is not defined", alert.Summary);
        Assert.Equal(Severity.Critical, alert.Severity);
        Assert.Equal("front-end", alert.Source);
        Assert.Equal("https://test-org.sentry.io/issues/1117540176/?referrer=webhooks_plugin", Assert.Single(alert.LinksOrEmpty).Href);
        Assert.Equal("production", alert.LabelsOrEmpty["environment"]);
        Assert.Contains("Page on fatal", alert.DetailsJson);
    }

    [Theory]
    [InlineData("fatal", Severity.Critical)]
    [InlineData("error", Severity.Error)]
    [InlineData("warning", Severity.Warning)]
    [InlineData("info", Severity.Info)]
    [InlineData("debug", Severity.Info)]
    [InlineData("FATAL", Severity.Critical)]
    [InlineData("sample", null)]
    public void Levels_map_to_severities(string level, Severity? expected)
    {
        var body = SentryFixtures.LegacyPlugin.Replace("\"fatal\"", $"\"{level}\"");
        Assert.Equal(expected, source.Read(For(legacy, body)).Single().Severity);
    }

    [Fact]
    public void A_payload_without_a_level_has_no_severity() =>
        Assert.Null(source.Read(For(legacy, """{"id": "42", "message": "boom"}""")).Single().Severity);

    [Theory]
    [InlineData("event_alert", """{"action": "triggered"}""", "'data' is missing")]
    [InlineData("event_alert", """{"action": "triggered", "data": {}}""", "'data.event' is missing")]
    [InlineData("event_alert", """{"action": "triggered", "data": {"event": {"title": "x"}}}""", "'data.event.issue_id' is missing")]
    [InlineData("event_alert", """{"action": "triggered", "data": {"event": "oops"}}""", "'data.event' is missing")]
    [InlineData("issue", """{"data": {"issue": {"id": "1"}}}""", "'action' is missing")]
    [InlineData("issue", """{"action": "resolved", "data": {"issue": {"title": "x"}}}""", "'data.issue.id' is missing")]
    [InlineData("issue", """{"action": "resolved"}""", "'data' is missing")]
    public void Signed_payloads_missing_fields_are_invalid_naming_them(string resource, string body, string error) =>
        Assert.Contains(error, Assert.Single(Signed(resource, body).Is<SourceResult.Invalid>().Errors));

    [Theory]
    [InlineData("""{"project": "front-end", "message": "boom"}""", "'id'")]
    [InlineData("""[1, 2]""", "JSON object")]
    [InlineData("""{"id": null}""", "'id'")]
    public void Legacy_payloads_missing_the_issue_id_are_invalid(string body, string error) =>
        Assert.Contains(error, Assert.Single(source.Read(For(legacy, body)).Is<SourceResult.Invalid>().Errors));

    [Fact]
    public void An_issue_alert_without_a_title_falls_back_to_its_culprit_then_its_id()
    {
        Assert.Equal("app.views.index in get",
            Signed("event_alert", """{"data": {"event": {"issue_id": 7, "culprit": "app.views.index in get"}}}""").Single().Summary);
        var bare = Signed("event_alert", """{"data": {"event": {"issue_id": 7}}}""").Single();
        Assert.Equal("Sentry issue 7", bare.Summary);
        Assert.Equal("7", bare.DedupKey);
        Assert.Empty(bare.LinksOrEmpty);
    }

    [Fact]
    public void Non_ascii_and_escaped_unicode_titles_read_alike()
    {
        var plain = Signed("event_alert", """{"data": {"event": {"issue_id": "1", "title": "TypeError: 予期しない値 — ñ 🔥"}}}""").Single();
        var escaped = Signed("event_alert",
            """{"data": {"event": {"issue_id": "1", "title": "TypeError: \u4e88\u671f\u3057\u306a\u3044\u5024 \u2014 \u00f1 \ud83d\udd25"}}}""").Single();
        Assert.Equal("TypeError: 予期しない値 — ñ 🔥", plain.Summary);
        Assert.Equal(plain.Summary, escaped.Summary);
    }

    [Fact]
    public void A_very_long_title_is_cut_to_1024_characters_ending_in_an_ellipsis()
    {
        var title = new string('x', 1022) + "🔥🔥" + new string('y', 5000);
        var alert = Signed("event_alert", TitledAlert(title)).Single();
        Assert.Equal(1023, alert.Summary.Length); // the surrogate pair at 1022..1023 is not split
        Assert.EndsWith("x…", alert.Summary);
        var exact = Signed("event_alert", TitledAlert(new string('z', 1024))).Single();
        Assert.Equal(new string('z', 1024), exact.Summary);
    }

    [Fact]
    public void Tags_also_read_as_key_value_objects_and_a_repeated_key_keeps_its_first_value()
    {
        var alert = source.Read(For(legacy, """
            {"id": "1", "event": {"tags": [{"key": "release", "value": "1.2.3"}, ["release", "9"], ["odd"], 5, ["n", 3]]}}
            """)).Single();
        Assert.Equal("1.2.3", alert.LabelsOrEmpty["release"]);
        Assert.Equal("3", alert.LabelsOrEmpty["n"]);
        Assert.Equal(2, alert.LabelsOrEmpty.Count);
    }
}
