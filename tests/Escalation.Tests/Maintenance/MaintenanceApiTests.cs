using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Escalation.Testing;
using Escalation.Tests.Api;

namespace Escalation.Tests.Maintenance;

/// <summary>Maintenance windows through the HTTP pipeline, on the real clock, as a user creates and ends one.</summary>
public sealed class MaintenanceApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _sender = fixture.App.Client(key: null);
    private readonly HttpClient _admin = fixture.App.Client();

    private async Task<string> Service(string id) =>
        (await _admin.PutJson($"/api/v1/services/{id}", new { name = id, escalation_policy_id = "default", slack_channel = "C0MAINTAPI1" }).Ok()).Str("integration_key");

    private async Task<JsonNode> Trigger(string routingKey, string dedupKey)
    {
        await _sender.PostJson("/v2/enqueue", new
        {
            routing_key = routingKey,
            event_action = "trigger",
            dedup_key = dedupKey,
            payload = new { summary = "Checkout is failing", source = "prometheus", severity = "critical" },
        }).Ok();
        var list = await _admin.GetAsync("/api/v1/incidents?limit=100").Ok();
        var id = list["incidents"]!.AsArray().First(i => i!.Str("dedup_key") == dedupKey)!.Str("id");
        return await _admin.GetAsync($"/api/v1/incidents/{id}").Ok();
    }

    private Task<JsonNode> Notifications(JsonNode incident) => _admin.GetAsync($"/api/v1/incidents/{incident.Str("id")}/notifications").Ok();

    private static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_alert_during_a_window_pages_nobody_until_the_window_is_ended()
    {
        var key = await Service("maint-api");
        var now = DateTimeOffset.UtcNow;
        var created = await _admin.PostJson("/api/v1/maintenance-windows", new
        {
            services = new[] { "maint-api" },
            start = Iso(now.AddMinutes(-1)),
            end = Iso(now.AddHours(1)),
            reason = "database upgrade",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var window = await created.Json();
        var id = window.Str("id");
        Assert.True(window["in_effect"]!.GetValue<bool>());
        Assert.Equal($"/api/v1/maintenance-windows/{id}", created.Headers.Location!.OriginalString);

        var incident = await Trigger(key, "maint-1");
        Assert.Equal(id, incident["maintenance"]!.Str("window_id"));
        Assert.Equal("database upgrade", incident["maintenance"]!.Str("reason"));
        // Pages are written in the same turn as the incident: none were.
        Assert.Empty((await Notifications(incident)).AsArray());
        var listed = (await _admin.GetAsync("/api/v1/maintenance-windows?service_id=maint-api").Ok()).AsArray();
        Assert.Equal(id, Assert.Single(listed)!.Str("id"));

        var ended = await _admin.PostAsync($"/api/v1/maintenance-windows/{id}/end", null).Ok();
        Assert.False(ended["in_effect"]!.GetValue<bool>());
        Assert.NotNull(ended["ended_early"]);
        var notifications = await Eventually.Get(() => Notifications(incident),
            n => n.AsArray().Any(x => x!.Str("kind") == "page" && x!.Str("status") == "sent"), "the page once the window ended");
        Assert.Contains(notifications.AsArray(), n => n!.Str("kind") == "channel_post");
        Assert.Null((await _admin.GetAsync($"/api/v1/incidents/{incident.Str("id")}").Ok())["maintenance"]);
        await _admin.PostAsync($"/api/v1/maintenance-windows/{id}/end", null).Problem(409);

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/v1/maintenance-windows/{id}")).StatusCode);
        await _admin.GetAsync($"/api/v1/maintenance-windows/{id}").Problem(404);
        await _admin.DeleteAsync($"/api/v1/maintenance-windows/{id}").Problem(404);
    }

    [Fact]
    public async Task A_weekly_window_is_given_in_wall_clock_times_of_its_zone()
    {
        await Service("maint-weekly");
        var window = await _admin.PostJson("/api/v1/maintenance-windows", new
        {
            services = new[] { "maint-weekly" },
            start = "2026-11-29T02:00:00",
            end = "2026-11-29T04:00:00",
            recurrence = new { rule = "RRULE:FREQ=WEEKLY;BYDAY=SU", time_zone = "Asia/Tokyo" },
        }).Ok();
        Assert.Equal("FREQ=WEEKLY;BYDAY=SU", window["recurrence"]!.Str("rule"));
        Assert.Equal(DateTimeOffset.Parse("2026-11-28T17:00:00Z", CultureInfo.InvariantCulture), window["start"]!.GetValue<DateTimeOffset>());
        var next = window["next"] ?? window["current"];
        var start = next!["start"]!.GetValue<DateTimeOffset>().ToOffset(TimeSpan.FromHours(9));
        Assert.Equal((DayOfWeek.Sunday, 2), (start.DayOfWeek, start.Hour));
        Assert.Equal(TimeSpan.FromHours(2), next["end"]!.GetValue<DateTimeOffset>() - next["start"]!.GetValue<DateTimeOffset>());
        Assert.Null(window["recurrence_ends"]?.GetValue<DateTimeOffset?>());
    }

    [Fact]
    public async Task A_recurrence_with_a_count_knows_when_it_ends()
    {
        await Service("maint-count");
        var window = await _admin.PostJson("/api/v1/maintenance-windows", new
        {
            services = new[] { "maint-count" },
            start = "2030-01-06T02:00:00",
            end = "2030-01-06T04:00:00",
            recurrence = new { rule = "FREQ=WEEKLY;BYDAY=SU;COUNT=3", time_zone = "Asia/Tokyo" },
        }).Ok();
        Assert.Equal(DateTimeOffset.Parse("2030-01-19T19:00:00Z", CultureInfo.InvariantCulture), window["recurrence_ends"]!.GetValue<DateTimeOffset>());
    }

    public static TheoryData<string, string> BadWindows => new()
    {
        { """{"start":"2030-01-01T00:00:00Z","end":"2030-01-01T01:00:00Z"}""", "services" },
        { """{"services":["Bad Id"],"start":"2030-01-01T00:00:00Z","end":"2030-01-01T01:00:00Z"}""", "services[0]" },
        { """{"services":["checkout"],"start":"tomorrow","end":"2030-01-01T01:00:00Z"}""", "start" },
        { """{"services":["checkout"],"start":"2030-01-01T00:00:00","end":"2030-01-01T01:00:00Z"}""", "start" },
        { """{"services":["checkout"],"start":"2030-01-01T02:00:00Z","end":"2030-01-01T01:00:00Z"}""", "end" },
        { """{"services":["checkout"],"start":"2020-01-01T00:00:00Z","end":"2020-01-01T01:00:00Z"}""", "end" },
        { """{"services":["checkout"],"start":"2030-01-01T00:00:00","end":"2030-01-01T01:00:00","recurrence":{"rule":"FREQ=BOGUS","time_zone":"Asia/Tokyo"}}""", "recurrence.rule" },
        { """{"services":["checkout"],"start":"2030-01-01T00:00:00","end":"2030-01-01T01:00:00","recurrence":{"rule":"FREQ=MINUTELY","time_zone":"Asia/Tokyo"}}""", "recurrence.rule" },
        { """{"services":["checkout"],"start":"2030-01-01T00:00:00","end":"2030-01-01T01:00:00","recurrence":{"time_zone":"Asia/Tokyo"}}""", "recurrence.rule" },
        { """{"services":["checkout"],"start":"2030-01-01T00:00:00","end":"2030-01-01T01:00:00","recurrence":{"rule":"FREQ=DAILY","time_zone":"Mars/Olympus"}}""", "recurrence.time_zone" },
        { """{"services":["checkout"],"start":"2030-01-01T00:00:00","end":"2030-01-09T01:00:00","recurrence":{"rule":"FREQ=WEEKLY","time_zone":"UTC"}}""", "end" },
        { """{"services":["checkout"],"start":"2020-01-01T00:00:00","end":"2020-01-01T01:00:00","recurrence":{"rule":"FREQ=DAILY;COUNT=2","time_zone":"UTC"}}""", "recurrence.rule" },
        { """{"services":["checkout"],"start":"2030-01-01T00:00:00","end":"2030-01-01T03:00:00","recurrence":{"rule":"FREQ=HOURLY","time_zone":"UTC"}}""", "recurrence.rule" },
        { """{"services":["checkout"],"start":"2030-01-01T00:00:00","end":"2030-01-01T00:30:00","recurrence":{"rule":"FREQ=HOURLY;BYMINUTE=0,10,20","time_zone":"UTC"}}""", "recurrence.rule" },
    };

    [Theory]
    [MemberData(nameof(BadWindows))]
    public async Task A_bad_window_is_a_400_naming_the_field(string body, string field)
    {
        var problem = await _admin.PostRaw("/api/v1/maintenance-windows", body).Problem(400);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task A_window_given_at_an_offset_is_stored_and_shown_at_that_offset()
    {
        await Service("maint-offset");
        var window = await _admin.PostJson("/api/v1/maintenance-windows", new
        {
            services = new[] { "maint-offset" },
            start = "2030-01-06T02:00:00+09:00",
            end = "2030-01-06T04:00:00+09:00",
        }).Ok();
        Assert.Equal("2030-01-06T02:00:00+09:00", window.Str("start"));
        var stored = await _admin.GetAsync($"/api/v1/maintenance-windows/{window.Str("id")}").Ok();
        Assert.Equal(DateTimeOffset.Parse("2030-01-05T19:00:00Z", CultureInfo.InvariantCulture), stored["next"]!["end"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_window_for_a_service_that_does_not_exist_is_a_422_and_nothing_is_created()
    {
        await _admin.PostJson("/api/v1/maintenance-windows", new { services = new[] { "no-such-service" }, start = "2030-01-01T00:00:00Z", end = "2030-01-01T01:00:00Z" }).Problem(422);
        Assert.DoesNotContain((await _admin.GetAsync("/api/v1/maintenance-windows").Ok()).AsArray(),
            w => w!["services"]!.AsArray().Any(s => s!.GetValue<string>() == "no-such-service"));
    }

    [Fact]
    public async Task Windows_are_not_shown_without_an_API_key()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _sender.GetAsync("/api/v1/maintenance-windows")).StatusCode);
    }
}
