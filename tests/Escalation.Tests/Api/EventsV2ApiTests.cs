using System.Net;
using Escalation.Testing;

namespace Escalation.Tests.Api;

/// <summary>POST /v2/enqueue behaves as PagerDuty's Events API v2 does, so monitoring tools can send unchanged.</summary>
public sealed class EventsV2ApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _sender = fixture.App.Client(key: null);
    private readonly HttpClient _admin = fixture.App.Client();

    [Fact]
    public async Task A_trigger_is_accepted_with_202_and_opens_an_incident_that_pages()
    {
        var response = await _sender.PostJson("/v2/enqueue", OnCallApi.Trigger(fixture.RoutingKey, "ev-open"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("success", body.Str("status"));
        Assert.Equal("Event processed", body.Str("message"));
        Assert.Equal("ev-open", body.Str("dedup_key"));

        var incident = await FindOpen("ev-open");
        Assert.Equal("triggered", incident.Str("status"));
        Assert.Equal("Checkout is failing", incident.Str("title"));
        Assert.Equal("ap-northeast-1", incident["details"]!["region"]!.GetValue<string>());
        Assert.Equal("Dashboard", incident["links"]![0]!.Str("text"));

        // A critical alert is high urgency: with no rules of their own, the person is paged on every channel they have
        // an address for. No provider is configured here, so both pages are written to the log, and say so.
        var pages = await Eventually.Get(() => _admin.GetAsync($"/api/v1/incidents/{incident.Str("id")}/notifications").Ok(),
            p => p.AsArray().Count == 2 && p.AsArray().All(n => n!.Str("status") == "sent"), "the first pages");
        Assert.All(pages.AsArray(), p => Assert.Equal("oncall", p!.Str("user_id")));
        Assert.All(pages.AsArray(), p => Assert.Equal(1, p!["level"]!.GetValue<int>()));
        Assert.Equal(["sms", "email"], pages.AsArray().Select(p => p!.Str("channel")));
        Assert.All(pages.AsArray(), p => Assert.Equal("log", p!.Str("delivered_via")));
        var timeline = (await _admin.GetAsync($"/api/v1/incidents/{incident.Str("id")}").Ok())["timeline"]!.AsArray();
        Assert.Contains(timeline, e => e!.Str("message") == "Paged oncall via sms (written to the log channel: sms is not configured)");
    }

    [Fact]
    public async Task A_trigger_without_dedup_key_gets_one_generated()
    {
        var body = await _sender.PostRaw("/v2/enqueue",
            $$$"""{"routing_key":"{{{fixture.RoutingKey}}}","event_action":"trigger","payload":{"summary":"s","source":"x","severity":"info"}}""").Ok();
        Assert.False(string.IsNullOrWhiteSpace(body.Str("dedup_key")));
        await FindOpen(body.Str("dedup_key"));
    }

    [Fact]
    public async Task Triggers_with_the_key_of_an_open_incident_add_to_it()
    {
        await _sender.PostJson("/v2/enqueue", OnCallApi.Trigger(fixture.RoutingKey, "ev-dedup")).Ok();
        await _sender.PostJson("/v2/enqueue", OnCallApi.Trigger(fixture.RoutingKey, "ev-dedup", "Checkout still failing")).Ok();
        await _sender.PostJson("/v2/enqueue", OnCallApi.Trigger(fixture.RoutingKey, "ev-dedup")).Ok();

        var list = await _admin.GetAsync("/api/v1/incidents?service_id=api&limit=100").Ok();
        var matching = list["incidents"]!.AsArray().Where(i => i!.Str("dedup_key") == "ev-dedup").ToList();
        Assert.Single(matching);
        Assert.Equal(3, matching[0]!["alert_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Acknowledge_and_resolve_events_act_on_the_open_incident_and_the_key_then_opens_a_new_one()
    {
        await _sender.PostJson("/v2/enqueue", OnCallApi.Trigger(fixture.RoutingKey, "ev-life")).Ok();
        var first = await FindOpen("ev-life");

        await _sender.PostJson("/v2/enqueue", new { routing_key = fixture.RoutingKey, event_action = "acknowledge", dedup_key = "ev-life" }).Ok();
        Assert.Equal("acknowledged", (await Incident(first.Str("id"))).Str("status"));

        await _sender.PostJson("/v2/enqueue", new { routing_key = fixture.RoutingKey, event_action = "resolve", dedup_key = "ev-life" }).Ok();
        Assert.Equal("resolved", (await Incident(first.Str("id"))).Str("status"));

        await _sender.PostJson("/v2/enqueue", OnCallApi.Trigger(fixture.RoutingKey, "ev-life")).Ok();
        var second = await FindOpen("ev-life");
        Assert.NotEqual(first.Str("id"), second.Str("id"));
    }

    [Fact]
    public async Task Resolving_an_unknown_key_is_accepted_and_changes_nothing()
    {
        var response = await _sender.PostJson("/v2/enqueue", new { routing_key = fixture.RoutingKey, event_action = "resolve", dedup_key = "never-seen" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"event_action":"trigger","payload":{"summary":"s","source":"x","severity":"critical"}}""", "'routing_key' is missing or blank")]
    [InlineData("""{"routing_key":"ROUTING","event_action":"explode","payload":{"summary":"s","source":"x","severity":"critical"}}""", "'event_action' must be one of trigger, acknowledge or resolve")]
    [InlineData("""{"routing_key":"ROUTING","event_action":"trigger","payload":{"source":"x","severity":"critical"}}""", "'payload.summary' is missing or blank")]
    [InlineData("""{"routing_key":"ROUTING","event_action":"trigger","payload":{"summary":"s","severity":"critical"}}""", "'payload.source' is missing or blank")]
    [InlineData("""{"routing_key":"ROUTING","event_action":"trigger","payload":{"summary":"s","source":"x","severity":"fatal"}}""", "'payload.severity' must be one of critical, error, warning or info")]
    [InlineData("""{"routing_key":"ROUTING","event_action":"trigger"}""", "'payload' is missing or not an object")]
    [InlineData("""{"routing_key":"ROUTING","event_action":"resolve"}""", "'dedup_key' is required for event_action 'resolve'")]
    [InlineData("""{"routing_key":"00000000000000000000000000000000","event_action":"resolve","dedup_key":"k"}""", "Invalid routing key")]
    [InlineData("""[1,2]""", "Event must be a JSON object")]
    [InlineData("""{"routing_key": """, "Event is not valid JSON")]
    public async Task Invalid_events_are_400_with_pagerduty_style_errors(string json, string error)
    {
        var response = await _sender.PostRaw("/v2/enqueue", json.Replace("ROUTING", fixture.RoutingKey));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("invalid event", body.Str("status"));
        Assert.Equal("Event object is invalid", body.Str("message"));
        Assert.Contains(error, body["errors"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Fact]
    public async Task A_blank_dedup_key_is_treated_as_absent()
    {
        var first = await _sender.PostJson("/v2/enqueue", OnCallApi.Trigger(fixture.RoutingKey, "  ")).Ok();
        var second = await _sender.PostJson("/v2/enqueue", OnCallApi.Trigger(fixture.RoutingKey, "")).Ok();
        Assert.False(string.IsNullOrWhiteSpace(first.Str("dedup_key")));
        Assert.NotEqual(first.Str("dedup_key"), second.Str("dedup_key"));
    }

    [Theory]
    [InlineData("\\u0000", "NUL")]
    [InlineData("\\ud800", "not valid Unicode")]
    public async Task Text_postgres_cannot_store_is_a_400_invalid_event(string escaped, string error)
    {
        var json = $$$"""{"routing_key":"{{{fixture.RoutingKey}}}","event_action":"trigger","dedup_key":"bad{{{escaped}}}","payload":{"summary":"s","source":"x","severity":"info"}}""";
        var response = await _sender.PostRaw("/v2/enqueue", json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("invalid event", body.Str("status"));
        Assert.Contains(error, body["errors"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Custom_details_that_are_not_valid_unicode_are_a_400_invalid_event()
    {
        var json = $$$$"""{"routing_key":"{{{{fixture.RoutingKey}}}}","event_action":"trigger","dedup_key":"ev-surrogate","payload":{"summary":"s","source":"x","severity":"info","custom_details":{"k":["\ud800"]}}}""";
        var response = await _sender.PostRaw("/v2/enqueue", json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid Unicode", (await response.Json())["errors"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task PagerDuty_limits_apply()
    {
        var longSummary = await _sender.PostJson("/v2/enqueue", OnCallApi.Trigger(fixture.RoutingKey, "ev-long", new string('x', 1025)));
        Assert.Equal(HttpStatusCode.BadRequest, longSummary.StatusCode);
        var longKey = await _sender.PostJson("/v2/enqueue", OnCallApi.Trigger(fixture.RoutingKey, new string('k', 256)));
        Assert.Equal(HttpStatusCode.BadRequest, longKey.StatusCode);

        var huge = OnCallApi.Trigger(fixture.RoutingKey, "ev-huge", new string('y', 600 * 1024));
        var tooLarge = await _sender.PostJson("/v2/enqueue", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("invalid event", (await tooLarge.Json()).Str("status"));
    }

    private async Task<System.Text.Json.Nodes.JsonNode> FindOpen(string dedupKey)
    {
        var list = await _admin.GetAsync("/api/v1/incidents?status=triggered,acknowledged&limit=100").Ok();
        var item = list["incidents"]!.AsArray().Single(i => i!.Str("dedup_key") == dedupKey)!;
        return await Incident(item.Str("id"));
    }

    private Task<System.Text.Json.Nodes.JsonNode> Incident(string id) => _admin.GetAsync($"/api/v1/incidents/{id}").Ok();
}
