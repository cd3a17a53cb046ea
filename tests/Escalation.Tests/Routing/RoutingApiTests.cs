using System.Net;
using System.Text.Json.Nodes;
using Escalation.Testing;
using Escalation.Tests.Api;

namespace Escalation.Tests.Routing;

/// <summary>Priorities, routes and event rules through the HTTP pipeline, as a user configures and meets them.</summary>
public sealed class RoutingApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _sender = fixture.App.Client(key: null);
    private readonly HttpClient _admin = fixture.App.Client();

    private async Task<string> Service(string id, object? routing = null, object? rules = null, string? defaultPriority = null, string? slackChannel = "C0ROUTING")
    {
        var body = new JsonObject
        {
            ["name"] = id,
            ["escalation_policy_id"] = "default",
            ["slack_channel"] = slackChannel,
            ["default_priority"] = defaultPriority,
        };
        if (routing is not null) body["routing"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(routing));
        if (rules is not null) body["event_rules"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(rules));
        return (await _admin.PutJson($"/api/v1/services/{id}", body).Ok()).Str("integration_key");
    }

    private async Task<JsonNode> Trigger(string routingKey, string dedupKey, string severity, string summary = "Checkout is failing", object? details = null)
    {
        await _sender.PostJson("/v2/enqueue", new
        {
            routing_key = routingKey,
            event_action = "trigger",
            dedup_key = dedupKey,
            payload = new { summary, source = "prometheus", severity, custom_details = details },
        }).Ok();
        var list = await _admin.GetAsync("/api/v1/incidents?limit=100").Ok();
        var id = list["incidents"]!.AsArray().First(i => i!.Str("dedup_key") == dedupKey)!.Str("id");
        return await _admin.GetAsync($"/api/v1/incidents/{id}").Ok();
    }

    private Task<JsonNode> Notifications(JsonNode incident) => _admin.GetAsync($"/api/v1/incidents/{incident.Str("id")}/notifications").Ok();

    private static IEnumerable<JsonNode> Pages(JsonNode notifications) => notifications.AsArray().Where(n => n!.Str("kind") == "page")!;

    [Fact]
    public async Task An_FYI_alert_only_posts_to_the_channel_and_pages_nobody()
    {
        var key = await Service("fyi-svc");
        var incident = await Trigger(key, "fyi-1", "info");
        Assert.Equal("P4", incident["routing"]!.Str("priority"));
        Assert.Equal("post_only", incident["routing"]!.Str("action"));
        Assert.Equal("from severity info", incident["routing"]!.Str("priority_reason"));

        var notifications = await Eventually.Get(() => Notifications(incident), n => n.AsArray().Any(x => x!.Str("status") == "sent"), "the channel post");
        Assert.Equal(["channel_post"], notifications.AsArray().Select(n => n!.Str("kind")));
        Assert.Equal("C0ROUTING", notifications[0]!.Str("slack_channel"));
        Assert.Null(incident["escalation"]!["next_escalation_at"]?.GetValue<string>());
        Assert.Null(incident["escalation"]!["next_try_at"]?.GetValue<string>());

        var listed = (await _admin.GetAsync("/api/v1/incidents?priority=P4&service_id=fyi-svc").Ok())["incidents"]!.AsArray();
        Assert.Equal("post_only", Assert.Single(listed)!.Str("route"));
    }

    [Fact]
    public async Task A_P3_routed_to_post_only_never_pages_while_a_P1_pages_and_declares()
    {
        var key = await Service("tiers-svc", routing: new { p3 = new { action = "post_only" } });
        var p3 = await Trigger(key, "tiers-p3", "warning");
        var p1 = await Trigger(key, "tiers-p1", "critical");

        var p1Pages = await Eventually.Get(() => Notifications(p1), n => Pages(n).Count() == 2, "the P1's pages");
        Assert.Contains(p1Pages.AsArray(), n => n!.Str("kind") == "channel_post");
        var p3Notifications = await Eventually.Get(() => Notifications(p3), n => n.AsArray().Any(x => x!.Str("status") == "sent"), "the P3's post");
        Assert.Empty(Pages(p3Notifications));
        Assert.Equal("P3", p3["routing"]!.Str("priority"));
        Assert.Equal("P1", p1["routing"]!.Str("priority"));
        Assert.Equal("high", p1["routing"]!.Str("urgency"));
    }

    [Fact]
    public async Task A_suppressed_alert_is_recorded_and_pages_nobody()
    {
        var key = await Service("noisy-svc", rules: new[]
        {
            new { name = "drills", conditions = new[] { new { field = "summary", @operator = "contains", value = "[drill]" } }, actions = new { suppress = true } },
        });
        var incident = await Trigger(key, "noisy-1", "critical", "[drill] Checkout is failing");
        Assert.Equal("'drills' (#1)", incident["routing"]!.Str("suppressed_by"));
        Assert.Equal("record_only", incident["routing"]!.Str("action"));
        Assert.Contains(incident["timeline"]!.AsArray(), e => e!.Str("type") == "suppressed");
        Assert.Empty((await Notifications(incident)).AsArray());

        var paged = await Trigger(key, "noisy-2", "critical", "Checkout is failing");
        await Eventually.Get(() => Notifications(paged), n => Pages(n).Any(), "a page for the alert no rule suppresses");
    }

    [Fact]
    public async Task A_rule_on_custom_details_sets_priority_adds_a_runbook_and_routes_to_another_service()
    {
        await Service("billing-svc", routing: new { p1 = new { action = "page", urgency = "high" } }, slackChannel: null);
        var key = await Service("edge-svc", rules: new[]
        {
            new
            {
                name = "billing",
                conditions = new[] { new { field = "custom_details.team", @operator = "equals", value = "billing" } },
                actions = new { priority = "P1", route_to = "billing-svc", runbook_url = "https://runbooks.example.com/billing" },
            },
        });
        await _sender.PostJson("/v2/enqueue", new
        {
            routing_key = key, event_action = "trigger", dedup_key = "edge-1",
            payload = new { summary = "Invoices not sent", source = "cron", severity = "info", custom_details = new { team = "billing" } },
        }).Ok();
        var listed = (await _admin.GetAsync("/api/v1/incidents?service_id=billing-svc").Ok())["incidents"]!.AsArray();
        var incident = await _admin.GetAsync($"/api/v1/incidents/{Assert.Single(listed)!.Str("id")}").Ok();
        Assert.Equal("P1", incident["routing"]!.Str("priority"));
        Assert.Equal("set by rule 'billing' (#1)", incident["routing"]!.Str("priority_reason"));
        Assert.Contains(incident["links"]!.AsArray(), l => l!.Str("href") == "https://runbooks.example.com/billing");
        await Eventually.Get(() => Notifications(incident), n => Pages(n).Any(), "the P1's pages");

        // The resolve carries only the dedup key: it still finds the incident on the service it was routed to.
        await _sender.PostJson("/v2/enqueue", new { routing_key = key, event_action = "resolve", dedup_key = "edge-1" }).Ok();
        Assert.Equal("resolved", (await _admin.GetAsync($"/api/v1/incidents/{incident.Str("id")}").Ok()).Str("status"));
    }

    [Fact]
    public async Task The_rules_test_endpoint_answers_what_ingestion_would_do()
    {
        await Service("test-svc", rules: new object[]
        {
            new { name = "db", conditions = new[] { new { field = "labels.component", @operator = "regex", value = "^db-" } }, actions = new { priority = "P2" } },
        });
        var matched = await _admin.PostJson("/api/v1/services/test-svc/rules/test", new { alert = new { summary = "x", labels = new { component = "db-7" } } }).Ok();
        Assert.Equal("db", matched["matched"]![0]!.Str("name"));
        Assert.Equal("P2", matched.Str("priority"));
        Assert.Equal("page", matched.Str("action"));

        var inDoubt = await _admin.PostJson("/api/v1/services/test-svc/rules/test", new { alert = new { summary = "x" } }).Ok();
        Assert.Empty(inDoubt["matched"]!.AsArray());
        Assert.Equal("P1", inDoubt.Str("priority"));
        Assert.Equal("no severity: when in doubt, P1", inDoubt.Str("priority_reason"));

        // Unsaved rules may be tried before they are saved.
        var tried = await _admin.PostJson("/api/v1/services/test-svc/rules/test", new
        {
            alert = new { summary = "x", severity = "critical" },
            event_rules = new[] { new { conditions = Array.Empty<object>(), actions = new { suppress = true } } },
        }).Ok();
        Assert.True(tried["suppressed"]!.GetValue<bool>());
        Assert.Equal("record_only", tried.Str("action"));
    }

    [Fact]
    public async Task Bad_rules_and_routes_are_refused_naming_the_field()
    {
        var problem = await _admin.PutJson("/api/v1/services/bad-rules", new
        {
            name = "x",
            escalation_policy_id = "default",
            routing = new { p4 = new { action = "post_only" } },
            event_rules = new object[]
            {
                new { conditions = new[] { new { field = "nope", @operator = "equals", value = "a" } }, actions = new { priority = "P2" } },
                new { conditions = new[] { new { field = "summary", @operator = "regex", value = "(" } }, actions = new { } },
            },
        }).Problem(400);
        var errors = problem["errors"]!.AsObject();
        Assert.Contains("event_rules[0].conditions[0].field", errors.Select(e => e.Key));
        Assert.Contains("event_rules[1].conditions[0].value", errors.Select(e => e.Key));
        Assert.Contains("event_rules[1].actions", errors.Select(e => e.Key));
        Assert.Contains("routing.p4", errors.Select(e => e.Key)); // posts, but the service has no channel

        var badPriority = await _admin.PutJson("/api/v1/services/bad-rules", new { name = "x", escalation_policy_id = "default", default_priority = "P9" }).Problem(400);
        Assert.Contains("default_priority", badPriority.ToJsonString());

        var missing = await _admin.PutJson("/api/v1/services/bad-rules", new
        {
            name = "x", escalation_policy_id = "default",
            event_rules = new[] { new { conditions = Array.Empty<object>(), actions = new { route_to = "no-such-service" } } },
        }).Problem(422);
        Assert.Contains("no-such-service", missing.ToJsonString());
    }

    [Fact]
    public async Task Raising_an_FYI_to_P1_by_hand_pages_from_level_1_and_lowering_it_stops_the_escalation()
    {
        var key = await Service("manual-svc");
        var incident = await Trigger(key, "manual-1", "info");
        Assert.Empty(Pages(await Notifications(incident)));

        var raised = await _admin.PostJson($"/api/v1/incidents/{incident.Str("id")}/priority", new { priority = "P1" }).Ok();
        Assert.Equal("P1", raised["routing"]!.Str("priority"));
        Assert.Equal("page", raised["routing"]!.Str("action"));
        Assert.NotNull(raised["escalation"]!["next_escalation_at"]?.GetValue<string>());
        Assert.Contains(raised["timeline"]!.AsArray(), e => e!.Str("type") == "priority" && e!.Str("message").StartsWith("Priority changed from P4 to P1"));
        await Eventually.Get(() => Notifications(incident), n => Pages(n).Any(p => p!.Str("user_id") == "oncall"), "the level-1 pages");

        var lowered = await _admin.PostJson($"/api/v1/incidents/{incident.Str("id")}/priority", new { priority = "P4" }).Ok();
        Assert.Null(lowered["escalation"]!["next_escalation_at"]?.GetValue<string>());

        await _admin.PostJson($"/api/v1/incidents/{incident.Str("id")}/priority", new { }).Problem(400);
        await _admin.PostJson($"/api/v1/incidents/{incident.Str("id")}/priority", new { priority = "P0" }).Problem(400);
        await _admin.PostJson($"/api/v1/incidents/{incident.Str("id")}/acknowledge", new { priority = "P1" }).Problem(400);
    }
}
