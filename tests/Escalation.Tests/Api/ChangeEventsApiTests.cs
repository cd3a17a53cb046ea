using System.Net;
using System.Text.Json.Nodes;
using Npgsql;

namespace Escalation.Tests.Api;

/// <summary>
/// POST /v2/change/enqueue behaves as PagerDuty's Change Events API (developer.pagerduty.com, "Send a Change Event";
/// its OpenAPI at PagerDuty/api-schema reference/events-v2/openapiv3.json), so deploy pipelines send unchanged;
/// changes show on their service's timeline and on incidents opened within the hour after.
/// </summary>
public sealed class ChangeEventsApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _sender = fixture.App.Client(key: null);
    private readonly HttpClient _admin = fixture.App.Client();

    /// <summary>PagerDuty's own example request, as its docs give it (their <c>+0000</c> offset included).</summary>
    private static string PagerDutyExample(string routingKey) => $$"""
        {
          "routing_key": "{{routingKey}}",
          "payload": {
            "summary": "Build Success: Increase snapshot create timeout to 30 seconds",
            "timestamp": "2020-07-17T08:42:58.315+0000",
            "source": "acme-build-pipeline-tool-default-i-9999",
            "custom_details": { "build_state": "passed", "build_number": "2", "run_time": "1236s" }
          },
          "links": [ { "href": "https://acme.pagerduty.dev/build/2", "text": "View more details in Acme!" } ],
          "images": [ { "src": "https://chart.example.com/1.png", "href": "https://example.com", "alt": "chart" } ]
        }
        """;

    [Fact]
    public async Task A_change_is_accepted_with_PagerDutys_202_and_listed_on_its_service()
    {
        var key = await Service("chg-accept");
        var response = await _sender.PostRaw("/v2/change/enqueue", PagerDutyExample(key));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"status":"success","message":"Change event processed"}"""), await response.Json()),
            await response.Content.ReadAsStringAsync());

        var page = await _admin.GetAsync("/api/v1/services/chg-accept/changes").Ok();
        var change = Assert.Single(page["changes"]!.AsArray())!;
        Assert.Equal("Build Success: Increase snapshot create timeout to 30 seconds", change.Str("summary"));
        Assert.Equal(new DateTimeOffset(2020, 7, 17, 8, 42, 58, 315, TimeSpan.Zero), change["at"]!.GetValue<DateTimeOffset>());
        Assert.True(change["received_at"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal("acme-build-pipeline-tool-default-i-9999", change.Str("source"));
        Assert.Equal("1236s", change["custom_details"]!.Str("run_time"));
        Assert.Equal("https://acme.pagerduty.dev/build/2", change["links"]![0]!.Str("href"));
        Assert.Equal("View more details in Acme!", change["links"]![0]!.Str("text"));
        Assert.False(page["more"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_change_without_timestamp_is_placed_when_it_arrived()
    {
        var key = await Service("chg-now");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await _sender.PostJson("/v2/change/enqueue", new { routing_key = key, payload = new { summary = "Flag checkout-v2 on" } }).Ok();

        var change = (await _admin.GetAsync("/api/v1/services/chg-now/changes").Ok())["changes"]![0]!;
        Assert.Equal(change["received_at"]!.GetValue<DateTimeOffset>(), change["at"]!.GetValue<DateTimeOffset>());
        Assert.True(change["at"]!.GetValue<DateTimeOffset>() >= before);
        Assert.Empty(change["links"]!.AsArray());
    }

    [Fact]
    public async Task The_timeline_is_newest_first_bounded_by_from_and_to_and_paged()
    {
        var key = await Service("chg-list");
        var t0 = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var hour in (int[])[2, 0, 3, 1])
            await SendChange(key, $"deploy {hour}", t0.AddHours(hour));

        var all = await _admin.GetAsync("/api/v1/services/chg-list/changes").Ok();
        Assert.Equal(["deploy 3", "deploy 2", "deploy 1", "deploy 0"], Summaries(all));

        var window = await _admin.GetAsync("/api/v1/services/chg-list/changes?from=2026-03-01T01:00:00Z&to=2026-03-01T03:00:00Z").Ok();
        Assert.Equal(["deploy 2", "deploy 1"], Summaries(window));

        var first = await _admin.GetAsync("/api/v1/services/chg-list/changes?limit=3").Ok();
        Assert.Equal(["deploy 3", "deploy 2", "deploy 1"], Summaries(first));
        Assert.True(first["more"]!.GetValue<bool>());
        Assert.Equal(3, first["limit"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"routing_key":"ROUTING","payload":{"source":"ci"}}""", "'payload.summary' is missing or blank")]
    [InlineData("""{"routing_key":"ROUTING","payload":{"summary":"   "}}""", "'payload.summary' is missing or blank")]
    [InlineData("""{"routing_key":"ROUTING","payload":{"summary":42}}""", "'payload.summary' must be a string")]
    [InlineData("""{"routing_key":"ROUTING"}""", "'payload' is missing or not an object")]
    [InlineData("""{"routing_key":"ROUTING","payload":"deploy"}""", "'payload' is missing or not an object")]
    [InlineData("""{"routing_key":"ROUTING","payload":{"summary":"s","timestamp":"yesterday"}}""", "'payload.timestamp' must be an ISO-8601 date-time between the years 1970 and 2199")]
    [InlineData("""{"routing_key":"ROUTING","payload":{"summary":"s","source":["ci"]}}""", "'payload.source' must be a string")]
    [InlineData("""{"routing_key":"ROUTING","payload":{"summary":"s"},"links":[{"text":"no href"}]}""", "'links[0].href' is missing or blank")]
    [InlineData("""{"routing_key":"ROUTING","payload":{"summary":"s"},"links":{"href":"x"}}""", "'links' must be an array")]
    [InlineData("""{"routing_key":"ROUTING","payload":{"summary":"s"},"images":"x"}""", "'images' must be an array")]
    [InlineData("""{"payload":{"summary":"s"}}""", "'routing_key' is missing or blank")]
    [InlineData("""{"routing_key":"short","payload":{"summary":"s"}}""", "'routing_key' must be 32 characters")]
    [InlineData("""["deploy"]""", "Event must be a JSON object")]
    [InlineData("""{"routing_key": """, "Event is not valid JSON")]
    [InlineData("""{"routing_key":"ROUTING","payload":{"summary":"a\u0000b"}}""", "Event text must not contain the NUL character")]
    public async Task Invalid_changes_are_400_naming_the_field_as_PagerDuty_does(string json, string error)
    {
        var body = await Rejected(json.Replace("ROUTING", fixture.RoutingKey));
        Assert.Contains(error, body["errors"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Empty((await _admin.GetAsync("/api/v1/services/api/changes").Ok())["changes"]!.AsArray());
    }

    [Fact]
    public async Task A_summary_longer_than_1024_characters_is_refused()
    {
        var body = await Rejected($$$"""{"routing_key":"{{{fixture.RoutingKey}}}","payload":{"summary":"{{{new string('x', 1025)}}}"}}""");
        Assert.Contains("'payload.summary' must be at most 1024 characters", body["errors"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Fact]
    public async Task An_unknown_routing_key_is_400_Invalid_routing_key_as_PagerDuty_answers()
    {
        var body = await Rejected(PagerDutyExample("0123456789abcdef0123456789abcdef"));
        Assert.Equal(["Invalid routing key"], body["errors"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Fact]
    public async Task An_incident_shows_the_changes_of_the_hour_before_it_opened_newest_first()
    {
        var key = await Service("chg-incident");
        var now = DateTimeOffset.UtcNow;
        await SendChange(key, "Deploy v1 (two hours before)", now.AddHours(-2));
        await SendChange(key, "Deploy v2 (thirty minutes before)", now.AddMinutes(-30));
        await SendChange(key, "Config reload (ten minutes before)", now.AddMinutes(-10));
        await SendChange(key, "Deploy v3 (after it opened)", now.AddMinutes(10));
        await SendChange(await Service("chg-incident-other"), "Another service's deploy", now.AddMinutes(-20));

        var incident = await Trigger(key, "chg-incident-1");

        var recent = incident["recent_changes"]!.AsArray();
        Assert.Equal(["Config reload (ten minutes before)", "Deploy v2 (thirty minutes before)"], recent.Select(c => c!.Str("summary")));
        Assert.Equal("chg-incident", recent[0]!.Str("service_id"));
    }

    [Fact]
    public async Task An_incident_opened_two_hours_after_a_change_shows_none()
    {
        var key = await Service("chg-late");
        await SendChange(key, "Deploy v1", DateTimeOffset.UtcNow.AddHours(-2));

        var incident = await Trigger(key, "chg-late-1");

        Assert.Empty(incident["recent_changes"]!.AsArray());
    }

    [Fact]
    public async Task Changes_older_than_90_days_are_deleted_as_new_ones_arrive()
    {
        var key = await Service("chg-retention");
        await using var db = NpgsqlDataSource.Create(fixture.App.ConnectionString);
        await using (var old = db.CreateCommand("""
            INSERT INTO change_events (id, service_id, at, received_at, summary, links)
            VALUES (gen_random_uuid(), 'chg-retention', now() - interval '91 days', now() - interval '91 days', 'Ancient deploy', '[]'),
                   (gen_random_uuid(), 'chg-retention', now() - interval '89 days', now() - interval '89 days', 'Old deploy', '[]')
            """))
            await old.ExecuteNonQueryAsync();

        await SendChange(key, "New deploy", DateTimeOffset.UtcNow);

        var page = await _admin.GetAsync("/api/v1/services/chg-retention/changes").Ok();
        Assert.Equal(["New deploy", "Old deploy"], Summaries(page));
    }

    [Fact]
    public async Task Listing_changes_needs_a_key_a_known_service_and_valid_bounds()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _sender.GetAsync("/api/v1/services/api/changes")).StatusCode);
        await _admin.GetAsync("/api/v1/services/no-such-service/changes").Problem(404);
        var from = await _admin.GetAsync("/api/v1/services/api/changes?from=last-week").Problem(400);
        Assert.NotNull(from["errors"]!["from"]);
        var order = await _admin.GetAsync("/api/v1/services/api/changes?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z").Problem(400);
        Assert.NotNull(order["errors"]!["from"]);
        var limit = await _admin.GetAsync("/api/v1/services/api/changes?limit=1000").Problem(400);
        Assert.NotNull(limit["errors"]!["limit"]);
    }

    private async Task<string> Service(string id) =>
        (await _admin.PutJson($"/api/v1/services/{id}", new { name = id, escalation_policy_id = "default" }).Ok()).Str("integration_key");

    private Task SendChange(string routingKey, string summary, DateTimeOffset at) =>
        _sender.PostJson("/v2/change/enqueue", new
        {
            routing_key = routingKey,
            payload = new { summary, timestamp = at.ToString("O"), source = "deploy-pipeline" },
        }).Ok();

    private async Task<JsonNode> Trigger(string routingKey, string dedupKey)
    {
        await _sender.PostJson("/v2/enqueue", OnCallApi.Trigger(routingKey, dedupKey)).Ok();
        var list = await _admin.GetAsync("/api/v1/incidents?limit=100").Ok();
        var id = list["incidents"]!.AsArray().Single(i => i!.Str("dedup_key") == dedupKey)!.Str("id");
        return await _admin.GetAsync($"/api/v1/incidents/{id}").Ok();
    }

    private async Task<JsonNode> Rejected(string json)
    {
        var response = await _sender.PostRaw("/v2/change/enqueue", json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("invalid event", body.Str("status"));
        Assert.Equal("Event object is invalid", body.Str("message"));
        return body;
    }

    private static string[] Summaries(JsonNode page) => [.. page["changes"]!.AsArray().Select(c => c!.Str("summary"))];
}
