using Escalation.Alerts;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Testing;

namespace Escalation.Tests.Grains;

/// <summary>A command sent from an old email link is refused by the incident itself once the link is spent.</summary>
public sealed class CommandExpectationTests : IAsyncLifetime
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private EscalationCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await EscalationCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_command_expecting_an_earlier_cycle_is_refused_and_changes_nothing()
    {
        await OnCallSetup.Load(_cluster.Store, acknowledgementTimeout: TimeSpan.FromMinutes(30));
        var incident = await Trigger("stale-cycle");
        await PagesSent(incident, 1);
        await incident.Acknowledge("oncall", null);
        _cluster.Clock.Advance(TimeSpan.FromMinutes(30));
        var before = await PagesSent(incident, 2);
        Assert.Equal(1, before.Cycle);

        var acknowledge = await incident.Acknowledge("oncall", "from the first email", new CommandExpectation(Cycle: 0));
        var resolve = await incident.Resolve("oncall", "from the first email", expected: new CommandExpectation(Cycle: 0));

        Assert.Equal(CommandOutcome.Conflict, acknowledge.Outcome);
        Assert.Contains("paged again", acknowledge.Message);
        Assert.Equal(CommandOutcome.Conflict, resolve.Outcome);
        Assert.Contains("paged again", resolve.Message);
        var after = (await incident.Get())!;
        Assert.Equal(IncidentStatus.Triggered, after.Status);
        Assert.Null(after.AcknowledgedBy);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Timeline.Count, after.Timeline.Count);

        Assert.Equal(CommandOutcome.Done, (await incident.Acknowledge("oncall", "from the newest email", new CommandExpectation(Cycle: 1))).Outcome);
    }

    [Fact]
    public async Task An_acknowledgement_of_a_cycle_already_acknowledged_is_refused_after_an_escalation_by_hand()
    {
        await OnCallSetup.Load(_cluster.Store);
        var incident = await Trigger("escalated-by-hand");
        await PagesSent(incident, 1);
        Assert.Equal(CommandOutcome.Done, (await incident.Acknowledge("oncall", null, new CommandExpectation(Cycle: 0))).Outcome);
        Assert.Equal(CommandOutcome.Done, (await incident.Escalate("oncall", "need help")).Outcome);
        var before = await PagesSent(incident, 3);
        Assert.Equal((IncidentStatus.Triggered, 0), (before.Status, before.Cycle));

        var again = await incident.Acknowledge("oncall", "the old link", new CommandExpectation(Cycle: 0));

        Assert.Equal(CommandOutcome.Conflict, again.Outcome);
        Assert.Contains("already acknowledged", again.Message);
        var after = (await incident.Get())!;
        Assert.Equal(IncidentStatus.Triggered, after.Status);
        Assert.Equal(before.Version, after.Version);
        // A resolve link of the cycle still stands, and a responder acting now (Slack, SMS, the API) still acknowledges.
        Assert.Equal(CommandOutcome.Done, (await incident.Acknowledge("b1", "on it")).Outcome);
        Assert.Equal(CommandOutcome.Done, (await incident.Resolve("oncall", null, expected: new CommandExpectation(Cycle: 0))).Outcome);
    }

    private async Task<IIncidentGrain> Trigger(string dedupKey)
    {
        var id = await _cluster.Grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(OnCallSetup.ServiceId, dedupKey)).Trigger(
            new IncidentTrigger(OnCallSetup.ServiceId, dedupKey, $"{dedupKey} is failing", Severity.Critical, "monitor", null, null, null, null, [], "test"));
        return _cluster.Grains.GetGrain<IIncidentGrain>(id);
    }

    private static Task<IncidentState> PagesSent(IIncidentGrain incident, int count) =>
        Eventually.Get(async () => (await incident.Get())!,
            s => s.Notifications.Count == count && s.Notifications.All(n => n.Status == NotificationStatus.Sent),
            $"{count} pages to be sent");
}
