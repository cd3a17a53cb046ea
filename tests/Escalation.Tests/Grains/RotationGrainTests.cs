using Escalation.Alerts;
using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Rotations;
using Escalation.Storage.Configuration;
using Escalation.Testing;

namespace Escalation.Tests.Grains;

public sealed class RotationGrainTests : IAsyncLifetime
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private EscalationCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await EscalationCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private IRotationGrain Rotation => _cluster.Grains.GetGrain<IRotationGrain>(RotationSetup.RotationId);

    [Fact]
    public async Task A_weekly_handoff_fires_on_time_and_tells_both_engineers_and_the_channel_exactly_once()
    {
        await RotationSetup.Load(_cluster);
        Assert.Empty((await Rotation.Announcements())!); // creating a rotation is not a handoff

        await AdvanceToJustBefore(RotationSetup.NextHandoff);
        Assert.Empty((await Rotation.Announcements())!);

        await _cluster.Advance(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10), Barrier);
        var sent = await AnnouncementsSent(3);
        Assert.All(sent, a => Assert.Equal(RotationAnnouncements.HandoffKind, a.Kind));
        Assert.All(sent, a => Assert.InRange(a.CreatedAt, RotationSetup.NextHandoff, RotationSetup.NextHandoff.AddSeconds(10)));
        var incoming = Assert.Single(sent, a => a.UserId == "chen");
        Assert.StartsWith("You are on call for Backend weekly from Mon 2026-11-30 10:00 Asia/Tokyo until the next handoff at Mon 2026-12-07 10:00", incoming.Text);
        Assert.Contains("ended", Assert.Single(sent, a => a.UserId == RotationSetup.OnCallAtStart).Text);
        Assert.Contains("chen on call", Assert.Single(sent, a => a.SlackChannel == RotationSetup.Channel).Text);
        Assert.Equal("chen", (await Rotation.OnCallAt(_cluster.Clock.GetUtcNow()))!.UserIds.Single());

        // The precise timer and the backstop reminder both fire again in the next hour: nothing is announced twice.
        await _cluster.Advance(TimeSpan.FromHours(1), Minute, Barrier);
        Assert.Equal(3, (await Rotation.Announcements())!.Count);
        Assert.Equal(3, await LedgerRows());
    }

    [Fact]
    public async Task An_accepted_swap_is_announced_and_the_covering_engineer_is_the_one_handed_the_pager()
    {
        await RotationSetup.Load(_cluster);
        var swap = await Rotation.RequestSwap(new SwapRequest
        {
            Id = "swp_chen",
            RequesterId = "chen",
            CoveringUserId = "dara",
            Start = RotationSetup.NextHandoff,
            End = RotationSetup.NextHandoff.AddDays(2),
            Reason = "wedding",
        });
        Assert.Equal(RotationOutcome.Done, swap.Outcome);
        Assert.Equal(RotationOutcome.Forbidden, (await Rotation.DecideSwap("swp_chen", "chen", accept: true)).Outcome);
        var accepted = await Rotation.DecideSwap("swp_chen", "dara", accept: true);
        Assert.Equal(RotationOutcome.Done, accepted.Outcome);
        Assert.Equal(("dara", "chen"), (accepted.Override!.UserId, accepted.Override.ReplacesUserId));
        Assert.Equal(RotationOutcome.Conflict, (await Rotation.DecideSwap("swp_chen", "dara", accept: true)).Outcome);

        var swapMessages = await AnnouncementsSent(3);
        Assert.Equal(["dara"], swapMessages.Where(a => a.Kind == RotationAnnouncements.SwapRequestedKind).Select(a => a.UserId));
        Assert.Equal(2, swapMessages.Count(a => a.Kind == RotationAnnouncements.SwapAcceptedKind)); // chen and the channel

        await AdvanceToJustBefore(RotationSetup.NextHandoff);
        await _cluster.Advance(Minute, TimeSpan.FromSeconds(10), Barrier);
        var handoff = (await AnnouncementsSent(6)).Where(a => a.Kind == RotationAnnouncements.HandoffKind).ToList();
        Assert.Equal(["ben", "dara"], handoff.Where(a => a.UserId is not null).Select(a => a.UserId).Order());
        Assert.Contains("covering for chen", Assert.Single(handoff, a => a.SlackChannel is not null).Text);
        Assert.DoesNotContain(handoff, a => a.UserId == "chen");
    }

    [Fact]
    public async Task An_escalation_to_the_rotation_pages_whoever_is_on_call_and_the_override_person_during_an_override()
    {
        await RotationSetup.Load(_cluster);
        Assert.Equal([RotationSetup.OnCallAtStart], await FirstLevelPaged("before-override"));

        var now = _cluster.Clock.GetUtcNow();
        var cover = new RotationOverride("ovr_emil", OverrideType.Replace, "emil", "ben", now, now.AddHours(1), "dentist");
        Assert.Equal(RotationOutcome.Done, (await Rotation.AddOverride(cover)).Outcome);
        Assert.Equal(["emil"], await FirstLevelPaged("during-override"));

        await _cluster.Advance(TimeSpan.FromMinutes(61), Minute, Barrier);
        Assert.Equal([RotationSetup.OnCallAtStart], await FirstLevelPaged("after-override"));
    }

    [Fact]
    public async Task A_level_whose_rotation_has_no_one_on_call_is_noted_and_passed_at_once()
    {
        await RotationSetup.Load(_cluster);
        var now = _cluster.Clock.GetUtcNow();
        await Rotation.AddOverride(new RotationOverride("ovr_off", OverrideType.Remove, "ben", null, now, now.AddDays(1), "ill"));

        var incident = await Trigger("nobody-home");
        var state = await Eventually.Get(async () => (await incident.Get())!,
            s => s.Notifications.Count == 1 && s.Notifications[0].Status == NotificationStatus.Sent, "the page to level 2");
        Assert.Equal(2, state.Position.Level + 1);
        Assert.Equal(("b1", 2), (state.Notifications[0].UserId, state.Notifications[0].Level));
        Assert.Equal(now, state.Notifications[0].CreatedAt); // at once, not after the 15-minute delay
        Assert.Contains(state.Timeline, e => e.Type == "no_one_to_page" && e.Message.Contains("no one on call for rotation backend-weekly"));
    }

    [Fact]
    public async Task An_edit_the_grain_hears_of_only_from_its_backstop_is_a_reschedule_not_a_handoff()
    {
        await RotationSetup.Load(_cluster);
        // The handoff time moves a minute later, straight in the store: the grain is not told.
        var edited = new Escalation.Rotations.Rotation(RotationSetup.RotationId, "Backend weekly", "Asia/Tokyo", RotationType.Weekly, 1,
            RotationSetup.FirstHandoff.AddMinutes(1), RotationSetup.Engineers, RotationSetup.Channel);
        await _cluster.Store.Put(ConfigurationStore.Tables.Rotations, RotationSetup.RotationId, edited);

        // The backstop reminder reads the edit after the edited shift has begun: still no announcement.
        await _cluster.Advance(TimeSpan.FromMinutes(3), Minute, Barrier);
        Assert.Empty((await Rotation.Announcements())!);

        // The next handoff, on the edited schedule, is announced as usual.
        await AdvanceToJustBefore(RotationSetup.NextHandoff.AddMinutes(1));
        await _cluster.Advance(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10), Barrier);
        var sent = await AnnouncementsSent(3);
        Assert.All(sent, a => Assert.InRange(a.CreatedAt, RotationSetup.NextHandoff.AddMinutes(1), RotationSetup.NextHandoff.AddMinutes(1).AddSeconds(10)));
    }

    /// <summary>Steps the fake clock to one minute before <paramref name="at"/>: an hour at a time, then a minute at a time.</summary>
    private async Task AdvanceToJustBefore(DateTimeOffset at)
    {
        var hours = Math.Floor((at - _cluster.Clock.GetUtcNow()).TotalHours) - 1;
        await _cluster.Advance(TimeSpan.FromHours(hours), TimeSpan.FromHours(1), Barrier);
        await _cluster.Advance(at - _cluster.Clock.GetUtcNow() - Minute, Minute, Barrier);
    }

    private Task Barrier() => Rotation.Announcements();

    private async Task<string[]> FirstLevelPaged(string dedupKey)
    {
        var incident = await Trigger(dedupKey);
        var state = await Eventually.Get(async () => (await incident.Get())!, s => s.Notifications.Count > 0, "a page");
        Assert.Equal(1, state.Position.Level + 1);
        return state.Notifications.Select(n => n.UserId).ToArray();
    }

    private async Task<IIncidentGrain> Trigger(string dedupKey)
    {
        var trigger = new IncidentTrigger(RotationSetup.ServiceId, dedupKey, $"{dedupKey} failing", Severity.Critical,
            "monitor", null, null, null, null, [], "test");
        var id = await _cluster.Grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(RotationSetup.ServiceId, dedupKey)).Trigger(trigger);
        return _cluster.Grains.GetGrain<IIncidentGrain>(id);
    }

    private Task<IReadOnlyList<Announcement>> AnnouncementsSent(int count) =>
        Eventually.Get(async () => (await Rotation.Announcements())!,
            a => a.Count == count && a.All(x => x.Status == NotificationStatus.Sent), $"{count} announcements to be sent");

    private async Task<long> LedgerRows()
    {
        await using var cmd = _cluster.Db.CreateCommand("SELECT count(*) FROM notification_deliveries WHERE rotation_id = $1");
        cmd.Parameters.AddWithValue(RotationSetup.RotationId);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
