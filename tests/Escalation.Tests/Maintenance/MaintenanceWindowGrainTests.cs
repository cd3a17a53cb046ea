using Escalation.Alerts;
using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Maintenance;
using Escalation.Notifications;
using Escalation.Storage.Configuration;
using Escalation.Storage.Maintenance;
using Escalation.Testing;
using Escalation.Tests.Grains;

namespace Escalation.Tests.Maintenance;

/// <summary>
/// Maintenance windows with the fake clock, which starts on Monday 2026-11-23 10:00 Asia/Tokyo (01:00Z). The windows
/// are stored as the API stores them, and their grain told, as the API tells it.
/// </summary>
public sealed class MaintenanceWindowGrainTests : IAsyncLifetime
{
    private const string Channel = "C0MAINT0001";
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private EscalationCluster _cluster = null!;
    private MaintenanceWindowStore _calendar = null!;

    public async Task InitializeAsync()
    {
        _cluster = await EscalationCluster.StartAsync();
        _calendar = new MaintenanceWindowStore(_cluster.Db);
        await OnCallSetup.Load(_cluster.Store);
        await _cluster.Store.Put(ConfigurationStore.Tables.Services, OnCallSetup.ServiceId,
            new Service(OnCallSetup.ServiceId, "Checkout", "default", "0123456789abcdef0123456789abcdef", null, SlackChannel: Channel));
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_weekly_Sunday_window_in_Tokyo_pages_nobody_and_pages_what_still_fires_when_it_ends()
    {
        var window = await Open("mw-sunday", "2026-11-29T02:00:00+09:00", "2026-11-29T04:00:00+09:00", "FREQ=WEEKLY;BYDAY=SU", "Asia/Tokyo");
        await AdvanceTo(At("2026-11-28T17:05:00Z"), TimeSpan.FromHours(1), window); // Sunday 02:05 JST
        var started = await AnnouncementsSent(window, 1);
        Assert.Equal(MaintenanceAnnouncements.Started, started[0].Kind);
        Assert.Equal(Channel, started[0].SlackChannel);
        Assert.Equal("Maintenance started on Checkout (weekly maintenance), until 2026-11-29 04:00 Asia/Tokyo. " +
            "Alerts are recorded and nobody is paged; open incidents stop escalating.", started[0].Text);

        var firing = await Trigger("disk-full");
        var blip = await Trigger("cpu-blip");
        Assert.Equal(At("2026-11-28T19:00:00Z"), (await firing.Get())!.Held!.Until);
        await _cluster.Advance(TimeSpan.FromMinutes(25), Minute, firing);
        Assert.Equal(CommandOutcome.Done, (await blip.Resolve("oncall", "went away")).Outcome);

        // Nothing pages until 04:00 JST (19:00Z), not even the first level.
        await _cluster.Advance(At("2026-11-28T18:59:00Z") - _cluster.Clock.GetUtcNow(), Minute, async () =>
        {
            Assert.Empty((await firing.Get())!.Notifications);
            Assert.Empty((await blip.Get())!.Notifications);
        });

        _cluster.Clock.Advance(Minute);
        var paged = await PagesSent(firing, 1);
        Assert.Null(paged.Held);
        Assert.Equal("oncall", paged.Notifications.Single(n => n.Kind == NotificationKind.Page).UserId);
        Assert.Equal(At("2026-11-28T19:15:00Z"), paged.NextEscalationAt);
        Assert.Contains(paged.Timeline, e => e.Type == "maintenance" && e.Message.Contains("still open: paging now"));
        var ended = await EndAnnounced(window);
        Assert.Equal(MaintenanceAnnouncements.Ended, ended[1].Kind);

        // The resolved one stays quiet, and the next Sunday holds again.
        await _cluster.Advance(TimeSpan.FromMinutes(30), Minute, blip);
        Assert.Empty((await blip.Get())!.Notifications);
        await AdvanceTo(At("2026-12-05T17:01:00Z"), TimeSpan.FromHours(1), window);
        await AnnouncementsSent(window, 3);
        Assert.NotNull((await (await Trigger("next-week")).Get())!.Held);
    }

    [Fact]
    public async Task An_incident_open_when_a_window_starts_stops_escalating_and_resumes_when_it_ends()
    {
        var incident = await Trigger("db-slow");
        await PagesSent(incident, 1);
        var window = await Open("mw-oneoff", "2026-11-23T01:05:00Z", "2026-11-23T02:10:00Z");

        // It would have escalated to @team-backend at 01:15: held from 01:05 to 02:10, it does not.
        await AdvanceTo(At("2026-11-23T01:05:00Z"), Minute, window);
        await Nudged(async () => (await incident.Get())!.Held is not null, "the hold");
        await AdvanceTo(At("2026-11-23T02:09:00Z"), Minute, window);
        var held = (await incident.Get())!;
        Assert.Equal(1, held.Position.Level + 1);
        Assert.Single(held.Notifications, n => n.Kind == NotificationKind.Page);

        _cluster.Clock.Advance(Minute); // 02:10: released, level 1 given its 15 minutes again
        var released = await Eventually.Get(async () => (await incident.Get())!, s => s.Held is null, "the release");
        Assert.Equal(At("2026-11-23T02:25:00Z"), released.NextEscalationAt);
        await _cluster.Advance(TimeSpan.FromMinutes(15), Minute, incident);
        Assert.Equal(2, (await PagesSent(incident, 3)).Position.Level + 1);
    }

    [Fact]
    public async Task An_incident_the_window_grain_never_reached_holds_itself_before_it_escalates()
    {
        var incident = await Trigger("index-behind");
        await PagesSent(incident, 1);
        // Stored but its grain not told: as if its fan-out had missed this incident (a read-model row behind, say).
        var now = _cluster.Clock.GetUtcNow();
        await _calendar.Put(new MaintenanceWindow("mw-untold", [OnCallSetup.ServiceId], null, now.AddMinutes(5), now.AddHours(1), null, "ops", now));

        await _cluster.Advance(TimeSpan.FromMinutes(30), Minute, incident);
        var state = (await incident.Get())!;
        Assert.Equal("mw-untold", state.Held?.WindowId);
        Assert.Equal(1, state.Position.Level + 1);
        Assert.Single(state.Notifications, n => n.Kind == NotificationKind.Page);
    }

    [Fact]
    public async Task A_suppressed_alert_raised_to_P1_during_a_window_is_held_not_paged()
    {
        await Open("mw-raise", "2026-11-23T00:30:00Z", "2026-11-23T05:00:00Z");
        var trigger = new IncidentTrigger(OnCallSetup.ServiceId, "drill", "drill is failing", Severity.Critical, "monitor", null, null, null, null, [], "test",
            SuppressedBy: "drills");
        var id = await _cluster.Grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(OnCallSetup.ServiceId, "drill")).Trigger(trigger);
        var incident = _cluster.Grains.GetGrain<IIncidentGrain>(id);

        Assert.Equal(CommandOutcome.Done, (await incident.SetPriority(Escalation.Routing.Priority.P1, "ops")).Outcome);
        var state = (await incident.Get())!;
        Assert.Equal("mw-raise", state.Held?.WindowId);
        Assert.DoesNotContain(state.Notifications, n => n.Kind == NotificationKind.Page);
    }

    [Fact]
    public async Task Ending_a_window_early_pages_what_arrived_during_it_at_once()
    {
        var window = await Open("mw-early", "2026-11-23T00:30:00Z", "2026-11-23T05:00:00Z");
        var incident = await Trigger("deploy-broke");
        Assert.NotNull((await incident.Get())!.Held);
        await _cluster.Advance(TimeSpan.FromMinutes(5), Minute, incident, s => Assert.Empty(s.Notifications));

        Assert.Equal(CommandOutcome.Done, (await window.End("ops")).Outcome);
        var paged = await PagesSent(incident, 1);
        Assert.Null(paged.Held);
        Assert.Equal(CommandOutcome.Conflict, (await window.End("ops")).Outcome);
        var ended = (await AnnouncementsSent(window, 2))[1];
        Assert.Contains("ended early by ops", ended.Text);
        Assert.Null(MaintenanceSchedule.At((await _calendar.Get("mw-early"))!, _cluster.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task Deleting_a_window_in_effect_releases_its_incidents()
    {
        var window = await Open("mw-deleted", "2026-11-23T00:30:00Z", "2026-11-23T05:00:00Z");
        var incident = await Trigger("cache-cold");
        Assert.Single(await window.Announcements());
        Assert.True(await _calendar.Delete("mw-deleted"));
        await window.Forget();
        await PagesSent(incident, 1);
        await Eventually.Get(() => LedgerStatus("maintenance:mw-deleted/%/maintenance_ended/slack:C0MAINT0001"), s => s == "sent", "the end announcement");
        // Once its last announcement is out, the grain keeps nothing.
        await Eventually.Get(window.Announcements, a => a.Count == 0, "the deleted window's state to be cleared");
    }

    [Fact]
    public async Task A_window_in_New_York_across_the_spring_DST_change_holds_until_04_00_EDT()
    {
        // Sunday 2027-03-14 01:00-04:00 New York: 02:00 EST jumps to 03:00 EDT, so 06:00Z to 08:00Z, two hours.
        var window = await Open("mw-dst", "2027-03-14T01:00:00", "2027-03-14T04:00:00", "FREQ=WEEKLY;BYDAY=SU", "America/New_York", local: true);
        await AdvanceTo(At("2027-03-14T06:30:00Z"), TimeSpan.FromDays(1), window);
        await AnnouncementsSent(window, 1);
        var incident = await Trigger("payments-down");
        Assert.Equal(At("2027-03-14T08:00:00Z"), (await incident.Get())!.Held!.Until);

        await _cluster.Advance(At("2027-03-14T07:59:00Z") - _cluster.Clock.GetUtcNow(), Minute, incident, s => Assert.Empty(s.Notifications));
        _cluster.Clock.Advance(Minute);
        await PagesSent(incident, 1);
        Assert.Contains("at 2027-03-14 04:00 America/New_York", (await EndAnnounced(window))[1].Text);
    }

    private async Task<IMaintenanceWindowGrain> Open(string id, string start, string end, string? rule = null, string? zone = null, bool local = false)
    {
        DateTimeOffset Read(string text) => local
            ? NodaTime.Text.LocalDateTimePattern.ExtendedIso.Parse(text).Value.InZoneLeniently(NodaTime.DateTimeZoneProviders.Tzdb[zone!]).ToDateTimeOffset()
            : At(text);
        var window = new MaintenanceWindow(id, [OnCallSetup.ServiceId], "weekly maintenance", Read(start), Read(end),
            rule is null ? null : new MaintenanceRecurrence(rule, zone!), "ops", _cluster.Clock.GetUtcNow());
        await _calendar.Put(window);
        var grain = _cluster.Grains.GetGrain<IMaintenanceWindowGrain>(MaintenanceKeys.For(id));
        await grain.Reschedule();
        return grain;
    }

    /// <summary>Moves the clock to exactly <paramref name="at"/>, <paramref name="step"/> at a time, the window's grain called after each.</summary>
    private async Task AdvanceTo(DateTimeOffset at, TimeSpan step, IMaintenanceWindowGrain window)
    {
        while (_cluster.Clock.GetUtcNow() < at)
        {
            var left = at - _cluster.Clock.GetUtcNow();
            _cluster.Clock.Advance(left < step ? left : step);
            await _cluster.Deadlines.WhenIdle();
            await window.Announcements();
        }
    }

    private async Task<IIncidentGrain> Trigger(string dedupKey)
    {
        var trigger = new IncidentTrigger(OnCallSetup.ServiceId, dedupKey, $"{dedupKey} is failing", Severity.Critical, "monitor", null, null, null, null, [], "test");
        var id = await _cluster.Grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(OnCallSetup.ServiceId, dedupKey)).Trigger(trigger);
        return _cluster.Grains.GetGrain<IIncidentGrain>(id);
    }

    private async Task<string?> LedgerStatus(string notificationIdLike)
    {
        await using var cmd = _cluster.Db.CreateCommand("SELECT status FROM notification_deliveries WHERE notification_id LIKE $1");
        cmd.Parameters.AddWithValue(notificationIdLike);
        return await cmd.ExecuteScalarAsync() as string;
    }

    private static Task<IncidentState> PagesSent(IIncidentGrain incident, int count) =>
        Eventually.Get(async () => (await incident.Get())!,
            s => s.Notifications.Count(n => n.Kind == NotificationKind.Page) == count && s.Notifications.All(n => n.Status == NotificationStatus.Sent),
            $"{count} pages to be sent");

    /// <summary>The start and the end announced (see <see cref="Nudged"/>); the text says when the occurrence ended.</summary>
    private async Task<IReadOnlyList<Escalation.Rotations.Announcement>> EndAnnounced(IMaintenanceWindowGrain window)
    {
        await Nudged(async () => await window.Announcements() is { Count: 2 } a && a.All(x => x.Status == NotificationStatus.Sent), "the end to be announced");
        return await window.Announcements();
    }

    /// <summary>
    /// Waits for what the window's grain does at a start or an end. It acts when the deadline service calls it at its
    /// deadline's instant, a timer on the fake clock; under load that call can miss the instant the test moved the
    /// clock to, so the clock is moved on a minute at a time, at most five.
    /// </summary>
    private async Task Nudged(Func<Task<bool>> done, string what)
    {
        for (var nudges = 0; ; nudges++)
        {
            try
            {
                await Eventually.Get(done, d => d, what, TimeSpan.FromSeconds(3));
                return;
            }
            catch (TimeoutException) when (nudges < 5)
            {
                _cluster.Clock.Advance(Minute);
            }
        }
    }

    private static async Task<IReadOnlyList<Escalation.Rotations.Announcement>> AnnouncementsSent(IMaintenanceWindowGrain window, int count)
    {
        try
        {
            return await Eventually.Get(window.Announcements, a => a.Count == count && a.All(x => x.Status == NotificationStatus.Sent), $"{count} announcements to be sent");
        }
        catch (TimeoutException e)
        {
            var seen = string.Join("; ", (await window.Announcements()).Select(a => $"{a.Id} {a.Status} {a.Error}"));
            throw new TimeoutException($"{e.Message} Seen: [{seen}]", e);
        }
    }
}
