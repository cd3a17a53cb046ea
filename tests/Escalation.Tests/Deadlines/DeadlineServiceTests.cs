using Escalation.Alerts;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Testing;
using Escalation.Tests.Grains;

namespace Escalation.Tests.Deadlines;

/// <summary>The deadline service on the fake clock: deadlines kept as data fire once, at their instant, wherever they live.</summary>
public sealed class DeadlineServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private EscalationCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await EscalationCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task An_escalation_far_beyond_the_window_is_loaded_by_a_later_sweep_and_fires_on_time()
    {
        await OnCallSetup.Load(_cluster.Store);
        var incident = await Trigger("far-deadline");
        await Eventually.Get(async () => (await incident.Get())!, s => s.Notifications.All(n => n.Status == NotificationStatus.Sent), "the first page");

        // 15 minutes is fifteen windows away: nothing is held for it until the sweep before it.
        await _cluster.Advance(TimeSpan.FromMinutes(12), Minute, incident);
        Assert.Equal(0, _cluster.Deadlines.Held);
        await _cluster.Advance(TimeSpan.FromMinutes(2), Minute, incident);
        Assert.Equal(1, _cluster.Deadlines.Held);
        Assert.Equal(1, (await incident.Get())!.Position.Level + 1);

        _cluster.Clock.Advance(Minute);
        await _cluster.Deadlines.WhenIdle();
        Assert.Equal(2, (await incident.Get())!.Position.Level + 1);
    }

    [Fact]
    public async Task A_deadline_deleted_by_an_acknowledgement_is_never_called()
    {
        await OnCallSetup.Load(_cluster.Store);
        var incident = await Trigger("acked-early");
        // The page is out and reported first: while it is not, its re-drive is a deadline of its own.
        await Eventually.Get(async () => (await incident.Get())!, s => s.Notifications.All(n => n.Status == NotificationStatus.Sent), "the first page");
        await _cluster.Advance(TimeSpan.FromMinutes(5), Minute, incident);
        Assert.Equal(CommandOutcome.Done, (await incident.Acknowledge("oncall", "on it")).Outcome);
        var calls = _cluster.Deadlines.Calls;

        await _cluster.Advance(TimeSpan.FromMinutes(30), Minute, incident);

        // At most the re-drive check after the page was reported (its report is written then): no escalation call.
        Assert.True(_cluster.Deadlines.Calls - calls <= 1, $"{_cluster.Deadlines.Calls - calls} calls");
        Assert.Equal(1, (await incident.Get())!.Position.Level + 1);
    }

    [Fact]
    public async Task A_deadline_moved_later_fires_at_its_new_instant_only()
    {
        // Acknowledging moves the deadline from the escalation (minute 15) to the re-trigger (minute 5 + 20).
        await OnCallSetup.Load(_cluster.Store, acknowledgementTimeout: TimeSpan.FromMinutes(20));
        var incident = await Trigger("moved-later");
        await _cluster.Advance(TimeSpan.FromMinutes(5), Minute, incident);
        await incident.Acknowledge("oncall", "on it");

        await _cluster.Advance(TimeSpan.FromMinutes(19), Minute, incident, s => Assert.Equal(IncidentStatus.Acknowledged, s.Status));
        _cluster.Clock.Advance(Minute);
        await _cluster.Deadlines.WhenIdle();
        var state = (await incident.Get())!;
        Assert.Equal(IncidentStatus.Triggered, state.Status);
        Assert.Equal(1, state.Cycle);
    }

    [Fact]
    public async Task A_deadline_moved_earlier_fires_at_its_new_instant()
    {
        // Escalated by hand at minute 2: level 2's deadline is minute 17, not the level-1 deadline of minute 15.
        await OnCallSetup.Load(_cluster.Store);
        var incident = await Trigger("moved-earlier");
        await _cluster.Advance(TimeSpan.FromMinutes(2), Minute, incident);
        await incident.Escalate("oncall", "need help");

        await _cluster.Advance(TimeSpan.FromMinutes(14), Minute, incident, s => Assert.Equal(2, s.Position.Level + 1));
        _cluster.Clock.Advance(Minute);
        await _cluster.Deadlines.WhenIdle();
        Assert.Equal(3, (await incident.Get())!.Position.Level + 1);
    }

    private async Task<IIncidentGrain> Trigger(string dedupKey)
    {
        var id = await _cluster.Grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(OnCallSetup.ServiceId, dedupKey)).Trigger(OnCallSetup.TriggerFor(dedupKey));
        return _cluster.Grains.GetGrain<IIncidentGrain>(id);
    }

}
