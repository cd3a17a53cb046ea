using Escalation.Testing;

namespace Escalation.Tests.Api;

/// <summary>Production releases through the API and as PagerDuty change events: each starts a watch that incidents link to.</summary>
public sealed class ReleaseApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _admin = fixture.App.Client();

    [Fact]
    public async Task A_release_posted_to_a_service_schedules_checks_at_25_and_45_minutes_and_links_the_next_incident()
    {
        var release = await _admin.PostJson("/api/v1/services/api/releases", new { summary = "Deploy v2.4.1", by = "oncall" }).Ok();
        var at = DateTimeOffset.Parse(release["change"]!.Str("at"));
        Assert.Equal([at.AddMinutes(25), at.AddMinutes(45)], release["checks_at"]!.AsArray().Select(c => DateTimeOffset.Parse(c!.GetValue<string>())));
        Assert.Equal("production", release["change"]!["custom_details"]!.Str("environment"));

        var incident = await _admin.PostJson("/api/v1/incidents", new { service_id = "api", title = "Errors after deploy", severity = "error", dedup_key = "after-release" }).Ok();
        Assert.Equal("Deploy v2.4.1", incident["release"]!.Str("summary"));
        Assert.Contains(incident["timeline"]!.AsArray(), e => e!.Str("type") == "release");
    }

    [Fact]
    public async Task A_PagerDuty_change_event_for_production_starts_a_watch_and_others_do_not()
    {
        var sender = fixture.App.Client(key: null);
        await sender.PostJson("/v2/change/enqueue", new
        {
            routing_key = fixture.RoutingKey,
            payload = new { summary = "Build 981 to staging", source = "ci", custom_details = new { environment = "staging" } },
        }).Ok();
        var staging = await _admin.PostJson("/api/v1/incidents", new { service_id = "api", title = "x", severity = "error", dedup_key = "after-staging" }).Ok();
        // An earlier test's production release may be watched still: the staging build is never the one linked.
        Assert.NotEqual("Build 981 to staging", staging["release"]?["summary"]?.GetValue<string>());

        await sender.PostJson("/v2/change/enqueue", new
        {
            routing_key = fixture.RoutingKey,
            payload = new { summary = "Build 982 to production", source = "ci", custom_details = new { environment = "production", released_by = "oncall" } },
        }).Ok();
        var production = await _admin.PostJson("/api/v1/incidents", new { service_id = "api", title = "y", severity = "error", dedup_key = "after-production" }).Ok();
        Assert.Equal("Build 982 to production", production["release"]!.Str("summary"));
    }

    [Theory]
    [InlineData("""{}""", "summary")]
    [InlineData("""{"summary":"x","at":"yesterday"}""", "at")]
    [InlineData("""{"summary":"x","links":[{"href":"javascript:alert(1)"}]}""", "links[0].href")]
    public async Task A_bad_release_is_a_400_naming_the_field(string body, string field)
    {
        var problem = await _admin.PostRaw("/api/v1/services/api/releases", body).Problem(400);
        Assert.NotNull(problem["errors"]![field]);
        await _admin.PostJson("/api/v1/services/nope/releases", new { summary = "x" }).Problem(404);
    }
}
