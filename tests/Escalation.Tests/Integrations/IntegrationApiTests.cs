using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Escalation.Api.Integrations.Sources.Grafana;
using Escalation.Testing;
using Escalation.Tests.Api;

namespace Escalation.Tests.Integrations;

/// <summary>The integrations resource, and alerts sent to an integration's URL through the whole HTTP pipeline.</summary>
public sealed class IntegrationApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _admin = fixture.App.Client();
    private readonly HttpClient _tool = fixture.App.Client(key: null);

    private async Task<JsonNode> Create(object body) => await _admin.PostJson("/api/v1/services/api/integrations", body).Ok();

    private static string PathOf(JsonNode created) => new Uri(created.Str("url")).AbsolutePath;

    [Fact]
    public async Task An_integration_is_made_listed_read_and_deleted_and_its_secrets_are_shown_only_once()
    {
        var response = await _admin.PostJson("/api/v1/services/api/integrations", new { type = "grafana", name = "Grafana prod", signing_secret = "hmac-s3cret" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Json();
        var id = created.Str("id");
        Assert.Equal("grafana", created.Str("type"));
        Assert.Equal("Grafana prod", created.Str("name"));
        Assert.True(created["has_signing_secret"]!.GetValue<bool>());
        var url = new Uri(created.Str("url"));
        Assert.Matches($"^/integrations/{id}/ein_[A-Za-z0-9_-]{{43}}$", url.AbsolutePath);
        var secret = url.AbsolutePath.Split('/')[^1];

        var listed = await _admin.GetAsync("/api/v1/services/api/integrations").Ok();
        var text = listed.ToJsonString() + (await _admin.GetAsync($"/api/v1/services/api/integrations/{id}").Ok()).ToJsonString();
        Assert.Contains(listed.AsArray(), i => i!.Str("id") == id);
        Assert.DoesNotContain(secret, text);
        Assert.DoesNotContain("hmac-s3cret", text);
        Assert.DoesNotContain("\"url\"", text);

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/v1/services/api/integrations/{id}")).StatusCode);
        await _admin.GetAsync($"/api/v1/services/api/integrations/{id}").Problem(404);
        await _tool.PostRaw(url.AbsolutePath, AlertmanagerPayloads.TwoFiring).Problem(401);
    }

    [Fact]
    public async Task Only_admins_manage_integrations()
    {
        var responderKey = (await _admin.PostJson("/api/v1/api-keys", new { name = "r", role = "responder" }).Ok()).Str("key");
        var responder = fixture.App.Client(responderKey);
        await responder.GetAsync("/api/v1/services/api/integrations").Problem(403);
        await responder.PostJson("/api/v1/services/api/integrations", new { type = "alertmanager", name = "x" }).Problem(403);
        await _tool.GetAsync("/api/v1/services/api/integrations").Problem(401);
    }

    [Theory]
    [InlineData("""{"name":"x"}""", "type")]
    [InlineData("""{"type":"nagios","name":"x"}""", "type")]
    [InlineData("""{"type":"alertmanager"}""", "name")]
    [InlineData("""{"type":"alertmanager","name":"x","signing_secret":"s"}""", "signing_secret")]
    [InlineData("""{"type":"grafana","name":"x","signing_secret":""}""", "signing_secret")]
    [InlineData("""{"type":"alertmanager","name":"x","settings":{"a":1}}""", "settings")]
    [InlineData("""{"type":"grafana","name":"x","settings":{"timestamp_header":"a b"}}""", "settings.timestamp_header")]
    public async Task Bad_integrations_are_refused_naming_the_field(string body, string field)
    {
        var problem = await _admin.PostRaw("/api/v1/services/api/integrations", body).Problem(400);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task An_unknown_service_or_integration_is_404()
    {
        await _admin.PostJson("/api/v1/services/nope/integrations", new { type = "alertmanager", name = "x" }).Problem(404);
        await _admin.GetAsync("/api/v1/services/nope/integrations").Problem(404);
        await _admin.PostAsync("/api/v1/services/api/integrations/int_0000/rotate-secret", null).Problem(404);
        await _admin.DeleteAsync("/api/v1/services/api/integrations/int_0000").Problem(404);
    }

    [Fact]
    public async Task Rotating_the_secret_gives_a_new_url_and_the_old_one_stops_at_once()
    {
        var created = await Create(new { type = "alertmanager", name = "rotate" });
        await _tool.PostRaw(PathOf(created), Fired("rot-1")).Ok();

        var rotated = await _admin.PostAsync($"/api/v1/services/api/integrations/{created.Str("id")}/rotate-secret", null).Ok();
        Assert.NotEqual(created.Str("url"), rotated.Str("url"));
        await _tool.PostRaw(PathOf(created), Fired("rot-2")).Problem(401);
        await _tool.PostRaw(PathOf(rotated), Fired("rot-3")).Ok();
    }

    [Fact]
    public async Task A_wrong_secret_or_unknown_integration_is_401_whichever_way_it_is_sent()
    {
        var created = await Create(new { type = "alertmanager", name = "wrong" });
        var id = created.Str("id");
        await _tool.PostRaw($"/integrations/{id}/ein_wrong", Fired("w-1")).Problem(401);
        await _tool.PostRaw($"/integrations/int_unknown/{PathOf(created).Split('/')[^1]}", Fired("w-2")).Problem(401);
        await _tool.PostRaw($"/integrations/{id}", Fired("w-3")).Problem(401);
        await Send($"/integrations/{id}", Fired("w-4"), new AuthenticationHeaderValue("Bearer", "ein_wrong")).Problem(401);
        await Send($"/integrations/{id}", Fired("w-5"), Basic("alertmanager", "ein_wrong")).Problem(401);
    }

    [Fact]
    public async Task The_secret_is_taken_as_a_bearer_token_or_as_the_basic_auth_password()
    {
        var created = await Create(new { type = "alertmanager", name = "header" });
        var secret = PathOf(created).Split('/')[^1];
        var path = $"/integrations/{created.Str("id")}";

        var bearer = await Send(path, Fired("hdr-bearer"), new AuthenticationHeaderValue("Bearer", secret)).Ok();
        Assert.Equal("hdr-bearer", bearer["alerts"]![0]!.Str("dedup_key"));
        await Send(path, Fired("hdr-basic"), Basic("any-user", secret)).Ok();
        await FindIncident("hdr-bearer");
        await FindIncident("hdr-basic");
    }

    [Theory]
    [InlineData("{\"version\":", "not valid JSON")]
    [InlineData("{\"version\":\"4\",\"alerts\":[],\"x\":\"\\u0000\"}", "NUL")]
    [InlineData("{\"version\":\"4\",\"alerts\":[],\"x\":\"\\ud800\"}", "not valid Unicode")]
    [InlineData("", "A JSON body is required")]
    public async Task Bodies_that_are_not_clean_json_are_400(string body, string detail)
    {
        var created = await Create(new { type = "alertmanager", name = "json" });
        var problem = await _tool.PostRaw(PathOf(created), body).Problem(400);
        Assert.Contains(detail, problem.Str("detail"));
    }

    [Fact]
    public async Task A_body_that_is_not_utf8_is_400_and_one_past_the_limit_413()
    {
        var created = await Create(new { type = "alertmanager", name = "bytes" });
        var latin1 = new ByteArrayContent([.. "{\"version\":\"4\",\"alerts\":[],\"x\":\""u8.ToArray(), 0xE9, .. "\"}"u8.ToArray()]);
        latin1.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Assert.Contains("UTF-8", (await _tool.PostAsync(PathOf(created), latin1).Problem(400)).Str("detail"));

        var huge = "{\"version\":\"4\",\"alerts\":[],\"x\":\"" + new string('a', 512 * 1024) + "\"}";
        await _tool.PostRaw(PathOf(created), huge).Problem(413);
    }

    [Fact]
    public async Task A_bad_alert_in_a_group_refuses_the_whole_group_naming_the_field()
    {
        var created = await Create(new { type = "alertmanager", name = "half" });
        var bad = AlertmanagerPayloads.TwoFiring
            .Replace("1a30ba71cca2921f", "half-good")
            .Replace("\"fingerprint\": \"2b41cb82ddb3a32f\"", "\"fingerprint\": null");
        var problem = await _tool.PostRaw(PathOf(created), bad).Problem(400);
        Assert.Equal("'alerts[1].fingerprint' is missing", problem["errors"]![0]!.GetValue<string>());

        var list = await _admin.GetAsync("/api/v1/incidents?service_id=api&limit=100").Ok();
        Assert.DoesNotContain(list["incidents"]!.AsArray(), i => i!.Str("dedup_key") == "half-good");
    }

    [Fact]
    public async Task Alertmanager_with_two_grouped_alerts_gives_two_incidents_that_resolve_separately()
    {
        var created = await Create(new { type = "alertmanager", name = "prometheus" });
        var firing = AlertmanagerPayloads.TwoFiring.Replace("1a30ba71cca2921f", "am-e2e-a").Replace("2b41cb82ddb3a32f", "am-e2e-b");

        var response = await _tool.PostRaw(PathOf(created), firing);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Json();
        Assert.Equal("accepted", accepted.Str("status"));
        Assert.Equal(["am-e2e-a:trigger", "am-e2e-b:trigger"], accepted["alerts"]!.AsArray().Select(a => $"{a!.Str("dedup_key")}:{a!.Str("action")}"));

        var a = await FindIncident("am-e2e-a");
        var b = await FindIncident("am-e2e-b");
        Assert.NotEqual(a.Str("id"), b.Str("id"));
        var shown = await _admin.GetAsync($"/api/v1/incidents/{a.Str("id")}").Ok();
        Assert.Equal("BlackBox Probe Failure: https://server.example.org", shown.Str("title"));
        Assert.Contains(shown["links"]!.AsArray(), l => l!.Str("href") == "https://runbooks.example.org/probe-failure");

        var oneResolved = AlertmanagerPayloads.OneResolved.Replace("1a30ba71cca2921f", "am-e2e-a").Replace("2b41cb82ddb3a32f", "am-e2e-b");
        await _tool.PostRaw(PathOf(created), oneResolved).Ok();
        Assert.Equal("resolved", (await Incident(a.Str("id"))).Str("status"));
        Assert.Equal("triggered", (await Incident(b.Str("id"))).Str("status"));
        // The second one is still firing: it adds to its incident rather than opening another.
        Assert.Equal(2, (await FindIncident("am-e2e-b"))["alert_count"]!.GetValue<int>());

        var bothResolved = oneResolved.Replace("\"status\": \"firing\"", "\"status\": \"resolved\"");
        await _tool.PostRaw(PathOf(created), bothResolved).Ok();
        Assert.Equal("resolved", (await Incident(b.Str("id"))).Str("status"));
    }

    [Fact]
    public async Task Grafana_with_a_signing_secret_takes_only_signed_requests()
    {
        var created = await Create(new { type = "grafana", name = "signed", signing_secret = "grafana-secret" });
        var body = GrafanaPayloads.TwoFiring.Replace("c6eadffa33fcdf37", "gf-e2e-a").Replace("bc97ff14869b13e3", "gf-e2e-b");

        var unsigned = await _tool.PostRaw(PathOf(created), body).Problem(401);
        Assert.Contains("X-Grafana-Alerting-Signature", unsigned.Str("detail"));
        await FindNone("gf-e2e-a");

        var signedRequest = new HttpRequestMessage(HttpMethod.Post, PathOf(created)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        signedRequest.Headers.Add("X-Grafana-Alerting-Signature", GrafanaSignature.Sign("grafana-secret", Encoding.UTF8.GetBytes(body)));
        Assert.Equal(HttpStatusCode.Accepted, (await _tool.SendAsync(signedRequest)).StatusCode);
        var incident = await _admin.GetAsync($"/api/v1/incidents/{(await FindIncident("gf-e2e-a")).Str("id")}").Ok();
        Assert.Contains(incident["links"]!.AsArray(), l => l!.Str("href") == "https://play.grafana.org/d/000000012?viewPanel=2");
    }

    private static string Fired(string fingerprint) =>
        $$$"""{"version":"4","status":"firing","alerts":[{"status":"firing","fingerprint":"{{{fingerprint}}}","labels":{"alertname":"Test"}}]}""";

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private Task<HttpResponseMessage> Send(string path, string body, AuthenticationHeaderValue auth)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = auth;
        return _tool.SendAsync(request);
    }

    private async Task<JsonNode> FindIncident(string dedupKey)
    {
        var list = await _admin.GetAsync("/api/v1/incidents?service_id=api&limit=100").Ok();
        return list["incidents"]!.AsArray().Where(i => i!.Str("dedup_key") == dedupKey).OrderByDescending(i => i!.Str("created_at")).First()!;
    }

    private async Task FindNone(string dedupKey)
    {
        var list = await _admin.GetAsync("/api/v1/incidents?service_id=api&limit=100").Ok();
        Assert.DoesNotContain(list["incidents"]!.AsArray(), i => i!.Str("dedup_key") == dedupKey);
    }

    private async Task<JsonNode> Incident(string id) => await _admin.GetAsync($"/api/v1/incidents/{id}").Ok();
}
