using Escalation.Alerts;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Testing;

namespace Escalation.Tests.Grains;

public sealed class IncidentEscalationTests : IAsyncLifetime
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private EscalationCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await EscalationCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task An_unacknowledged_incident_escalates_to_team_backend_then_leadership_every_15_minutes()
    {
        await OnCallSetup.Load(_cluster.Store);
        var incident = await Trigger("db-down");
        await PagesSent(incident, 1);

        // Minutes 1..14: nobody new is paged.
        await _cluster.Advance(TimeSpan.FromMinutes(14), Minute, incident, s => Assert.Equal(1, s.Position.Level + 1));
        Assert.Equal(["oncall"], (await incident.Get())!.Notifications.Select(n => n.UserId));

        // Minute 15: @team-backend.
        _cluster.Clock.Advance(Minute);
        var state = await PagesSent(incident, 3);
        Assert.Equal(2, state.Position.Level + 1);
        Assert.Equal(["b1", "b2"], state.Notifications.Where(n => n.Level == 2).Select(n => n.UserId).Order());
        Assert.Equal(EscalationCluster.Start + 2 * OnCallSetup.Delay, state.NextEscalationAt);

        // Minute 30: leadership, the last level, after which nothing is pending.
        await _cluster.Advance(TimeSpan.FromMinutes(15), Minute, incident);
        state = await PagesSent(incident, 4);
        Assert.Equal(3, state.Position.Level + 1);
        Assert.Equal(["boss"], state.Notifications.Where(n => n.Level == 3).Select(n => n.UserId));
        Assert.Null(state.NextEscalationAt);
        Assert.Equal(
            ["Not acknowledged within PT15M: escalated to level 2: @team-backend (b1, b2)", "Not acknowledged within PT15M: escalated to level 3: @leadership (boss)"],
            state.Timeline.Where(e => e.Type == "escalated").Select(e => e.Message));

        // An hour later it still stays on the last level: no page is repeated.
        await _cluster.Advance(TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(5), incident);
        Assert.Equal(4, (await incident.Get())!.Notifications.Count);
    }

    [Fact]
    public async Task Acknowledging_at_minute_five_stops_the_escalation()
    {
        await OnCallSetup.Load(_cluster.Store);
        var incident = await Trigger("cpu-hot");
        await PagesSent(incident, 1);

        await _cluster.Advance(TimeSpan.FromMinutes(5), Minute, incident);
        Assert.Equal(CommandOutcome.Done, (await incident.Acknowledge("oncall", "looking")).Outcome);

        await _cluster.Advance(TimeSpan.FromMinutes(60), Minute, incident);
        var state = (await incident.Get())!;
        Assert.Equal(IncidentStatus.Acknowledged, state.Status);
        Assert.Equal(EscalationCluster.Start.AddMinutes(5), state.AcknowledgedAt);
        Assert.Single(state.Notifications);
        Assert.Equal(1, state.Position.Level + 1);
        Assert.DoesNotContain(state.Timeline, e => e.Type == "escalated");
    }

    [Fact]
    public async Task An_acknowledgement_that_times_out_triggers_again_from_level_one()
    {
        await OnCallSetup.Load(_cluster.Store, acknowledgementTimeout: TimeSpan.FromMinutes(30));
        var incident = await Trigger("queue-stuck");
        await PagesSent(incident, 1);

        _cluster.Clock.Advance(Minute);
        await incident.Acknowledge("oncall", null);
        await _cluster.Advance(TimeSpan.FromMinutes(29), Minute, incident, s => Assert.Equal(IncidentStatus.Acknowledged, s.Status));

        _cluster.Clock.Advance(Minute);
        var state = await PagesSent(incident, 2);
        Assert.Equal(IncidentStatus.Triggered, state.Status);
        Assert.Equal(1, state.Position.Level + 1);
        Assert.Equal(1, state.Cycle);
        Assert.Equal(["oncall", "oncall"], state.Notifications.Select(n => n.UserId));
        Assert.NotEqual(state.Notifications[0].Id, state.Notifications[1].Id);
        Assert.Contains(state.Timeline, e => e.Type == "retriggered");

        // And it escalates again 15 minutes later, as a fresh trigger would.
        await _cluster.Advance(OnCallSetup.Delay, Minute, incident);
        Assert.Equal(2, (await PagesSent(incident, 4)).Position.Level + 1);
    }

    [Fact]
    public async Task Alerts_with_the_same_dedup_key_add_to_the_open_incident_and_open_a_new_one_after_resolve()
    {
        await OnCallSetup.Load(_cluster.Store);
        var key = _cluster.Grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(OnCallSetup.ServiceId, "disk"));

        var first = await key.Trigger(NewTrigger("disk"));
        Assert.Equal(first, await key.Trigger(NewTrigger("disk")));
        Assert.Equal(2, (await _cluster.Grains.GetGrain<IIncidentGrain>(first).Get())!.AlertCount);

        Assert.Equal(first, await key.Resolve("monitor"));
        var second = await key.Trigger(NewTrigger("disk"));
        Assert.NotEqual(first, second);
        Assert.Equal(IncidentStatus.Resolved, (await _cluster.Grains.GetGrain<IIncidentGrain>(first).Get())!.Status);
        Assert.Equal(IncidentStatus.Triggered, (await _cluster.Grains.GetGrain<IIncidentGrain>(second).Get())!.Status);
    }

    [Fact]
    public async Task A_repeating_policy_walks_again_from_level_one()
    {
        await OnCallSetup.Load(_cluster.Store, repeat: 1);
        var incident = await Trigger("loop");
        await PagesSent(incident, 1);

        await _cluster.Advance(3 * OnCallSetup.Delay, Minute, incident);
        var state = await PagesSent(incident, 5);
        Assert.Equal((1, 1), (state.Position.Level + 1, state.Position.Loop));
        Assert.Equal("oncall", state.Notifications[^1].UserId);
    }

    private async Task<IIncidentGrain> Trigger(string dedupKey)
    {
        var id = await _cluster.Grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(OnCallSetup.ServiceId, dedupKey)).Trigger(NewTrigger(dedupKey));
        return _cluster.Grains.GetGrain<IIncidentGrain>(id);
    }

    private static IncidentTrigger NewTrigger(string dedupKey) =>
        new(OnCallSetup.ServiceId, dedupKey, $"{dedupKey} is failing", Severity.Critical, "monitor", null, null, null, null, [], "test");

    /// <summary>Waits until the incident has this many pages and the bus has delivered every one of them.</summary>
    private static Task<IncidentState> PagesSent(IIncidentGrain incident, int count) =>
        Eventually.Get(async () => (await incident.Get())!,
            s => s.Notifications.Count == count && s.Notifications.All(n => n.Status == NotificationStatus.Sent),
            $"{count} pages to be sent");
}
