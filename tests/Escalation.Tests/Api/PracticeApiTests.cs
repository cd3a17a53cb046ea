using Escalation.Testing;

namespace Escalation.Tests.Api;

/// <summary>Status updates and response targets through the API, as a responder and an admin use them.</summary>
public sealed class PracticeApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _admin = fixture.App.Client();

    [Fact]
    public async Task A_status_update_goes_on_the_timeline_and_moves_the_next_reminder()
    {
        var id = await Create("status-1", "critical");
        var opened = await _admin.GetAsync($"/api/v1/incidents/{id}").Ok();
        Assert.Equal("PT15M", opened["response"]!["status_updates"]!.Str("every"));
        Assert.Equal("PT15M", opened["response"]!["targets"]!.Str("acknowledge"));
        Assert.Equal("PT1H", opened["response"]!["targets"]!.Str("resolve"));

        var updated = await _admin.PostJson($"/api/v1/incidents/{id}/status-updates", new { message = "Failing over to the replica\nETA 10 min", by = "oncall" }).Ok();
        var entry = updated["timeline"]!.AsArray().Single(e => e!.Str("type") == "status_update")!;
        Assert.Equal(("oncall", "Status update from oncall: Failing over to the replica\nETA 10 min"), (entry.Str("actor"), entry.Str("message")));
        var clock = updated["response"]!["status_updates"]!;
        Assert.Equal(DateTimeOffset.Parse(clock.Str("last_at")).AddMinutes(15), DateTimeOffset.Parse(clock.Str("due_at")));

        await _admin.PostJson($"/api/v1/incidents/{id}/acknowledge", new { by = "oncall" }).Ok();
        var resolved = await _admin.PostJson($"/api/v1/incidents/{id}/resolve", new { by = "oncall" }).Ok();
        var response = resolved["response"]!;
        Assert.True(response["acknowledge_target_met"]!.GetValue<bool>());
        Assert.True(response["resolve_target_met"]!.GetValue<bool>());
        Assert.Equal("oncall", response["cycles"]![0]!.Str("responded_by"));
        Assert.Null(response["status_updates"]!["due_at"]);
        var late = await _admin.PostJson($"/api/v1/incidents/{id}/status-updates", new { message = "after the fact" }).Problem(409);
        Assert.Contains("resolved", late.Str("detail"));
    }

    [Theory]
    [InlineData("""{}""", "message")]
    [InlineData("""{"message":"   "}""", "message")]
    [InlineData("""{"message":"a\u0007b"}""", "message")]
    [InlineData("""{"message":"ok","by":"a\nb"}""", "by")]
    public async Task A_bad_status_update_is_a_400_naming_the_field(string body, string field)
    {
        var id = await Create($"status-bad-{field}-{Guid.NewGuid():N}", "critical");
        var problem = await _admin.PostRaw($"/api/v1/incidents/{id}/status-updates", body).Problem(400);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task A_status_update_of_an_unknown_incident_is_a_404()
    {
        await _admin.PostJson("/api/v1/incidents/NOPE/status-updates", new { message = "x" }).Problem(404);
    }

    [Fact]
    public async Task A_service_declares_its_targets_and_status_updates_and_bad_ones_are_named()
    {
        var bad = await _admin.PutJson("/api/v1/services/practice", new
        {
            name = "Practice", escalation_policy_id = "default",
            response_targets = new { p1 = new { acknowledge = "PT2H", resolve = "PT1H" }, p2 = new { acknowledge = "soon" } },
            status_updates = new { priorities = new[] { "P1", "P9" }, every = "PT10S" },
        }).Problem(400);
        var errors = bad["errors"]!.AsObject().Select(e => e.Key).Order().ToList();
        Assert.Equal(["response_targets.p1.resolve", "response_targets.p2.acknowledge", "status_updates.every", "status_updates.priorities[1]"], errors);

        var service = await _admin.PutJson("/api/v1/services/practice", new
        {
            name = "Practice", escalation_policy_id = "default",
            response_targets = new { p2 = new { acknowledge = "PT5M", resolve = "PT2H" }, p3 = new { } },
            status_updates = new { priorities = new[] { "P2", "P1" }, every = "PT30M" },
        }).Ok();
        Assert.Equal("PT5M", service["response_targets"]!["p2"]!.Str("acknowledge"));

        var p2 = await _admin.PostJson("/api/v1/incidents", new { service_id = "practice", title = "slow", severity = "error", dedup_key = "practice-p2" }).Ok();
        Assert.Equal(("PT5M", "PT2H"), (p2["response"]!["targets"]!.Str("acknowledge"), p2["response"]!["targets"]!.Str("resolve")));
        Assert.Equal("PT30M", p2["response"]!["status_updates"]!.Str("every"));
        // P3 was declared with no targets, and owes no updates.
        var p3 = await _admin.PostJson("/api/v1/incidents", new { service_id = "practice", title = "meh", severity = "warning", dedup_key = "practice-p3" }).Ok();
        Assert.Null(p3["response"]!["targets"]);
        Assert.Null(p3["response"]!["status_updates"]);
    }

    [Fact]
    public async Task The_response_report_counts_a_services_incidents_per_priority()
    {
        await _admin.PutJson("/api/v1/services/reported", new { name = "Reported", escalation_policy_id = "default" }).Ok();
        var fast = (await _admin.PostJson("/api/v1/incidents", new { service_id = "reported", title = "a", severity = "critical", dedup_key = "r1" }).Ok()).Str("id");
        await _admin.PostJson("/api/v1/incidents", new { service_id = "reported", title = "b", severity = "critical", dedup_key = "r2" }).Ok();
        await _admin.PostJson("/api/v1/incidents", new { service_id = "reported", title = "c", severity = "warning", dedup_key = "r3" }).Ok();
        await _admin.PostJson($"/api/v1/incidents/{fast}/resolve", new { by = "oncall" }).Ok();

        var report = await _admin.GetAsync("/api/v1/reports/response?service_id=reported").Ok();
        var service = Assert.Single(report["services"]!.AsArray())!;
        Assert.Equal("reported", service.Str("service_id"));
        var priorities = service["priorities"]!.AsArray();
        Assert.Equal(["P1", "P3"], priorities.Select(p => p!.Str("priority")));
        var p1 = priorities[0]!;
        Assert.Equal((2, 1, 1), (p1["count"]!.GetValue<int>(), p1["responses"]!.GetValue<int>(), p1["resolved"]!.GetValue<int>()));
        Assert.Equal(1, p1["acknowledge_target"]!["met"]!.GetValue<int>());
        Assert.NotNull(p1["mttr"]!["p90"]);
        // The pages went to the log channel (no provider is configured here), and count as delivered.
        Assert.Contains(service["people"]!.AsArray(), p => p!.Str("user_id") == "oncall");
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "from")]
    [InlineData("from=2025-01-01T00:00:00Z&to=2026-12-01T00:00:00Z", "from")]
    [InlineData("to=2026-12-01T00:00:00", "to")]
    [InlineData("service_id=Not%20An%20Id", "service_id")]
    public async Task A_bad_report_range_is_a_400_naming_the_field(string query, string field)
    {
        var problem = await _admin.GetAsync($"/api/v1/reports/response?{query}").Problem(400);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task A_resolved_P1_has_a_postmortem_draft_in_markdown_in_either_locale()
    {
        var id = await Create("postmortem-1", "critical");
        await _admin.PostJson($"/api/v1/incidents/{id}/status-updates", new { message = "Failing over" }).Ok();
        await _admin.PostJson($"/api/v1/incidents/{id}/resolve", new { by = "oncall", note = "Failed over to the replica", follow_ups = "Test failover monthly" }).Ok();

        var en = await _admin.GetAsync($"/api/v1/incidents/{id}/postmortem");
        Assert.Equal("text/markdown", en.Content.Headers.ContentType?.MediaType);
        var markdown = await en.Content.ReadAsStringAsync();
        Assert.StartsWith("# Postmortem: postmortem-1 broke\n", markdown);
        Assert.Contains("Status update from", markdown);
        Assert.Contains("- **What was done:** Failed over to the replica", markdown);
        Assert.Contains("  - [ ] Test failover monthly", markdown);

        var ja = await (await _admin.GetAsync($"/api/v1/incidents/{id}/postmortem?locale=ja&time_zone=Asia/Tokyo")).Content.ReadAsStringAsync();
        foreach (var heading in (string[])["## 概要", "## タイムライン", "## 根本原因", "## 影響評価", "## 対策", "## 学んだ教訓"])
            Assert.Contains(heading, ja);
        Assert.Contains("+09:00", ja);

        Assert.NotNull((await _admin.GetAsync($"/api/v1/incidents/{id}/postmortem?locale=fr").Problem(400))["errors"]!["locale"]);
        Assert.NotNull((await _admin.GetAsync($"/api/v1/incidents/{id}/postmortem?time_zone=Mars/Olympus").Problem(400))["errors"]!["time_zone"]);
        await _admin.GetAsync("/api/v1/incidents/NOPE/postmortem").Problem(404);
    }

    [Fact]
    public async Task A_service_declares_an_acknowledgement_SLO_and_shows_its_budget_and_burn_rates()
    {
        var bad = await _admin.PutJson("/api/v1/services/slo-bad", new
        {
            name = "SLO", escalation_policy_id = "default",
            acknowledgement_slo = new { priority = "P0", objective = 1.0, within = "soon", window = "PT1H", min_events = 0 },
        }).Problem(400);
        Assert.Equal(["acknowledgement_slo.min_events", "acknowledgement_slo.objective", "acknowledgement_slo.priority", "acknowledgement_slo.window",
            "acknowledgement_slo.within"], bad["errors"]!.AsObject().Select(e => e.Key).Order());
        await _admin.GetAsync("/api/v1/services/api/slo").Problem(404);

        await _admin.PutJson("/api/v1/services/slo-ok", new
        {
            name = "SLO", escalation_policy_id = "default", acknowledgement_slo = new { objective = 0.99 },
        }).Ok();
        var fast = (await _admin.PostJson("/api/v1/incidents", new { service_id = "slo-ok", title = "a", severity = "critical", dedup_key = "s1" }).Ok()).Str("id");
        await _admin.PostJson($"/api/v1/incidents/{fast}/acknowledge", new { by = "oncall" }).Ok();

        var slo = await _admin.GetAsync("/api/v1/services/slo-ok/slo").Ok();
        Assert.Equal(("P1", 0.99, "PT15M", "P30D", 5), (slo["slo"]!.Str("priority"), slo["slo"]!["objective"]!.GetValue<double>(),
            slo["slo"]!.Str("within"), slo["slo"]!.Str("window"), slo["slo"]!["min_events"]!.GetValue<int>()));
        Assert.Equal((1, 1, 1.0, 1.0), (slo["events"]!.GetValue<int>(), slo["good"]!.GetValue<int>(), slo["sli"]!.GetValue<double>(), slo["budget_left"]!.GetValue<double>()));
        Assert.Equal(["PT5M", "PT30M", "PT1H", "PT6H"], slo["burn_rates"]!.AsArray().Select(w => w!.Str("window")));
        Assert.Equal([14.4, 6], slo["rules"]!.AsArray().Select(r => r!["threshold"]!.GetValue<double>()));
        Assert.All(slo["rules"]!.AsArray(), r => Assert.False(r!["firing"]!.GetValue<bool>()));
        Assert.Null(slo["alert_incident_id"]);
    }

    private async Task<string> Create(string dedupKey, string severity) =>
        (await _admin.PostJson("/api/v1/incidents", new { service_id = "api", title = $"{dedupKey} broke", severity, dedup_key = dedupKey }).Ok()).Str("id");
}
