using System.Net;

namespace Escalation.Tests.Api;

public sealed class ConfigurationApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _admin = fixture.App.Client();

    [Fact]
    public async Task Put_creates_then_replaces_and_get_returns_what_was_stored()
    {
        var body = new { name = "Kim", email = "kim@example.com", phone = "+14155550100", slack_user_id = "U0KIM", time_zone = "America/New_York" };
        var created = await _admin.PutJson("/api/v1/users/kim", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var replaced = await _admin.PutJson("/api/v1/users/kim", body with { name = "Kim Lee" });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);

        var stored = await _admin.GetAsync("/api/v1/users/kim").Ok();
        Assert.Equal("Kim Lee", stored.Str("name"));
        Assert.Equal("U0KIM", stored.Str("slack_user_id"));
        Assert.Equal("America/New_York", stored.Str("time_zone"));
    }

    [Fact]
    public async Task Invalid_fields_are_a_400_that_names_each_field()
    {
        var problem = await _admin.PutJson("/api/v1/users/bad", new { name = "", phone = "0901234", time_zone = "Mars/Olympus" }).Problem(400);
        var errors = problem["errors"]!.AsObject();
        Assert.Contains("name", errors.Select(e => e.Key));
        Assert.Contains("phone", errors.Select(e => e.Key));
        Assert.Contains("time_zone", errors.Select(e => e.Key));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_not_a_500()
    {
        var problem = await _admin.PutAsync("/api/v1/users/x", new StringContent("{\"name\": ", System.Text.Encoding.UTF8, "application/json"))
            .Problem(400);
        Assert.Contains("not valid JSON", problem.Str("detail"));
        await _admin.PutAsync("/api/v1/escalation-policies/x",
            new StringContent("{\"name\":\"x\",\"repeat\":\"many\"}", System.Text.Encoding.UTF8, "application/json")).Problem(400);
    }

    [Fact]
    public async Task Unknown_references_are_a_422_naming_the_missing_thing()
    {
        var team = await _admin.PutJson("/api/v1/teams/ghosts", new { name = "Ghosts", members = new[] { "oncall", "casper" } }).Problem(422);
        Assert.Contains("casper", team.Str("detail"));

        var policy = await _admin.PutJson("/api/v1/escalation-policies/p2", new
        {
            name = "P2",
            levels = new[] { new { escalate_after = "PT5M", targets = new[] { new { type = "team", id = "night-shift" } } } },
        }).Problem(422);
        Assert.Contains("night-shift", policy.Str("detail"));

        var service = await _admin.PutJson("/api/v1/services/s2", new { name = "S2", escalation_policy_id = "nope" }).Problem(422);
        Assert.Contains("nope", service.Str("detail"));
    }

    [Fact]
    public async Task Nulls_inside_lists_are_a_400_not_a_500()
    {
        await _admin.PutAsync("/api/v1/teams/nulls", Json("{\"name\":\"T\",\"members\":[null]}")).Problem(400);
        await _admin.PutAsync("/api/v1/escalation-policies/nulls", Json("{\"name\":\"P\",\"levels\":[null]}")).Problem(400);
        await _admin.PutAsync("/api/v1/escalation-policies/nulls",
            Json("{\"name\":\"P\",\"levels\":[{\"escalate_after\":\"PT1M\",\"targets\":[null]}]}")).Problem(400);
    }

    [Fact]
    public async Task Text_postgres_cannot_store_is_a_400()
    {
        var nul = await _admin.PutAsync("/api/v1/users/nul", Json("{\"name\":\"a\\u0000b\",\"time_zone\":\"UTC\"}")).Problem(400);
        Assert.Contains("NUL", nul.Str("detail"));
        await _admin.PutAsync("/api/v1/users/surrogate", Json("{\"name\":\"a\\ud800b\",\"time_zone\":\"UTC\"}")).Problem(400);
    }

    [Fact]
    public async Task A_422_names_every_missing_user_and_team()
    {
        var problem = await _admin.PutJson("/api/v1/escalation-policies/two-missing", new
        {
            name = "Two",
            levels = new[] { new { escalate_after = "PT5M", targets = new[] { new { type = "user", id = "ghost" }, new { type = "team", id = "phantoms" } } } },
        }).Problem(422);
        Assert.Contains("user 'ghost'", problem.Str("detail"));
        Assert.Contains("team 'phantoms'", problem.Str("detail"));
    }

    [Fact]
    public async Task Durations_beyond_seven_days_are_refused()
    {
        await _admin.PutJson("/api/v1/escalation-policies/forever", new
        {
            name = "Forever",
            levels = new[] { new { escalate_after = "P10000000D", targets = new[] { new { type = "user", id = "oncall" } } } },
        }).Problem(400);
        await _admin.PutJson("/api/v1/services/forever", new { name = "F", escalation_policy_id = "default", acknowledgement_timeout = "P60D" }).Problem(400);
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task Policies_accept_second_resolution_durations_and_reject_others()
    {
        var ok = await _admin.PutJson("/api/v1/escalation-policies/quick", new
        {
            name = "Quick",
            repeat = 2,
            levels = new[] { new { escalate_after = "PT5S", targets = new[] { new { type = "user", id = "oncall" } } } },
        }).Ok();
        Assert.Equal("PT5S", ok["levels"]![0]!.Str("escalate_after"));
        Assert.Equal(2, ok["repeat"]!.GetValue<int>());

        var bad = await _admin.PutJson("/api/v1/escalation-policies/quick", new
        {
            name = "Quick",
            levels = new[] { new { escalate_after = "15 minutes", targets = new[] { new { type = "squad", id = "oncall" } } } },
        }).Problem(400);
        Assert.Contains("levels[0].escalate_after", bad["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains("levels[0].targets[0].type", bad["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task A_service_gets_a_generated_integration_key_that_survives_updates()
    {
        var first = await _admin.PutJson("/api/v1/services/billing", new { name = "Billing", escalation_policy_id = "default" }).Ok();
        var key = first.Str("integration_key");
        Assert.Matches("^[0-9a-f]{32}$", key);
        var second = await _admin.PutJson("/api/v1/services/billing", new { name = "Billing v2", escalation_policy_id = "default" }).Ok();
        Assert.Equal(key, second.Str("integration_key"));

        await _admin.PutJson("/api/v1/services/billing-copy", new { name = "Copy", escalation_policy_id = "default", integration_key = key }).Problem(409);
    }

    [Fact]
    public async Task Delete_removes_and_refuses_while_something_still_refers()
    {
        await _admin.PutJson("/api/v1/users/temp", new { name = "Temp", time_zone = "UTC" }).Ok();
        await _admin.PutJson("/api/v1/teams/temp-team", new { name = "T", members = new[] { "temp" } }).Ok();

        var refused = await _admin.DeleteAsync("/api/v1/users/temp").Problem(409);
        Assert.Contains("team temp-team", refused.Str("detail"));

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync("/api/v1/teams/temp-team")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync("/api/v1/users/temp")).StatusCode);
        await _admin.GetAsync("/api/v1/users/temp").Problem(404);
        await _admin.DeleteAsync("/api/v1/users/temp").Problem(404);
    }
}
