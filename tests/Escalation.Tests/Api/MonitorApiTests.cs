using Escalation.Testing;

namespace Escalation.Tests.Api;

/// <summary>Monitors through the API: configured by admins, a heartbeat pinged by its URL, and request forgery refused.</summary>
public sealed class MonitorApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _admin = fixture.App.Client();

    [Fact]
    public async Task A_heartbeat_gets_a_ping_url_that_marks_it_alive_and_an_old_token_stops_working()
    {
        await _admin.PutJson("/api/v1/monitors/backup", new { name = "Backup", service_id = "api", type = "heartbeat", heartbeat = new { interval = "PT1H", grace = "PT10M" } }).Ok();
        var first = await _admin.PostJson("/api/v1/monitors/backup/token", new { }).Ok();
        var url = new Uri(first.Str("ping_url"));
        Assert.StartsWith("ehb_", first.Str("token"));

        var anonymous = fixture.App.Client(key: null);
        await anonymous.GetAsync(url.PathAndQuery).Ok();
        var status = await _admin.GetAsync("/api/v1/monitors/backup/status").Ok();
        Assert.True(status["up"]!.GetValue<bool>());
        Assert.NotNull(status["last_beat_at"]);

        await _admin.PostJson("/api/v1/monitors/backup/token", new { }).Ok();
        await anonymous.PostAsync(url.PathAndQuery, null).Problem(404);
        await anonymous.GetAsync("/heartbeats/ehb_nobody").Problem(404);
        // The stored monitor never shows a token, and reads as it was written.
        var stored = await _admin.GetAsync("/api/v1/monitors/backup").Ok();
        Assert.DoesNotContain("ehb_", stored.ToJsonString());
        Assert.Equal(("heartbeat", "PT1H", "PT10M"), (stored.Str("type"), stored["heartbeat"]!.Str("interval"), stored["heartbeat"]!.Str("grace")));
    }

    [Theory]
    [InlineData("http://169.254.169.254/computeMetadata/v1/", "http.url")]
    [InlineData("http://metadata.google.internal/", "http.url")]
    [InlineData("http://[fe80::1]/healthz", "http.url")]
    [InlineData("ftp://example.com/", "http.url")]
    [InlineData("http://user:pass@example.com/", "http.url")]
    public async Task An_http_check_refuses_link_local_metadata_and_odd_urls(string url, string field)
    {
        var problem = await _admin.PutJson("/api/v1/monitors/bad", new { name = "Bad", service_id = "api", type = "http", http = new { url } }).Problem(400);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task Bad_monitor_settings_are_400s_naming_each_field_and_only_admins_configure()
    {
        var problem = await _admin.PutJson("/api/v1/monitors/bad", new
        {
            name = "Bad", service_id = "api", type = "http", heartbeat = new { interval = "PT1M" },
            http = new { url = "https://api.example.com/healthz", method = "DELETE", expected_status = 99, interval = "PT10S", timeout = "PT2M", failures_before_open = 0 },
        }).Problem(400);
        Assert.Equal(["heartbeat", "http.expected_status", "http.failures_before_open", "http.interval", "http.method", "http.timeout"],
            problem["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.NotNull((await _admin.PutJson("/api/v1/monitors/bad", new { name = "Bad", service_id = "api", type = "ping" }).Problem(400))["errors"]!["type"]);
        await _admin.PutJson("/api/v1/monitors/bad", new { name = "Bad", service_id = "nope", type = "heartbeat", heartbeat = new { interval = "PT5M" } }).Problem(422);

        var key = await _admin.PostJson("/api/v1/api-keys", new { name = "watcher", role = "responder" }).Ok();
        var responder = fixture.App.Client(key.Str("key"));
        await responder.PutJson("/api/v1/monitors/mine", new { name = "Mine", service_id = "api", type = "http", http = new { url = "https://example.com/" } }).Problem(403);
        await _admin.PutJson("/api/v1/monitors/healthz", new { name = "healthz", service_id = "api", type = "http", http = new { url = "https://api.example.com/healthz" } }).Ok();
        await responder.GetAsync("/api/v1/monitors/healthz/status").Ok();
        await _admin.PostJson("/api/v1/monitors/healthz/token", new { }).Problem(409);
        // A service with monitors cannot be deleted from under them.
        await _admin.DeleteAsync("/api/v1/services/api").Problem(409);
        await _admin.DeleteAsync("/api/v1/monitors/healthz");
    }
}
