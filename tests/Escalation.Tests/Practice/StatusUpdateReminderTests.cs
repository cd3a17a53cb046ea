using Escalation.Alerts;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Practice;
using Escalation.Routing;
using Escalation.Tests.Grains;

namespace Escalation.Tests.Practice;

public sealed class StatusUpdateReminderTests : IAsyncLifetime
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private EscalationCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await EscalationCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_P1_is_reminded_every_15_minutes_without_an_update_an_update_resets_the_clock_and_resolution_stops_it()
    {
        await PracticeSetup.Load(_cluster.Store);
        var incident = await Trigger("checkout-down");
        Assert.Equal(EscalationCluster.Start + 15 * Minute, (await incident.Get())!.StatusUpdateDueAt);
        await _cluster.Advance(14 * Minute, Minute, incident, s => Assert.Empty(Reminders(s)));
        await _cluster.Advance(Minute, Minute, incident);
        var state = (await incident.Get())!;
        Assert.Equal(["Status update due: none posted since the incident opened. Post one with POST /api/v1/incidents/" + state.Id + "/status-updates"],
            Reminders(state));
        // Told in the incident's thread; nobody acknowledged yet, so nobody is reminded in person.
        Assert.Contains(state.Notifications, n => n.Kind == NotificationKind.SlackUpdate && n.EventText == Reminders(state)[0]);
        Assert.DoesNotContain(state.Notifications, n => n.Kind == NotificationKind.Reminder);

        _cluster.Clock.Advance(Minute);
        await incident.Acknowledge("oncall", null);
        await _cluster.Advance(14 * Minute, Minute, incident);
        state = (await incident.Get())!;
        Assert.Equal(2, Reminders(state).Count);
        // The acknowledger is reminded in a direct message: on Slack, never by SMS.
        var personal = Assert.Single(state.Notifications, n => n.Kind == NotificationKind.Reminder);
        Assert.Equal(("oncall", ChannelNames.Slack), (personal.UserId, personal.Channel));
        Assert.StartsWith("Status update due", personal.EventText);

        // Minute 35: an update. The next reminder is due 15 minutes after it, not after the last reminder.
        await _cluster.Advance(5 * Minute, Minute, incident);
        Assert.Equal(CommandOutcome.Done, (await incident.PostStatusUpdate("oncall", "Rolled back the 10:02 deploy; error rate falling")).Outcome);
        state = (await incident.Get())!;
        var update = Assert.Single(state.Timeline, e => e.Type == "status_update");
        Assert.Equal(("oncall", "Status update from oncall: Rolled back the 10:02 deploy; error rate falling"), (update.Actor, update.Message));
        Assert.Contains(state.Notifications, n => n.Kind == NotificationKind.SlackUpdate && n.EventText == update.Message);
        Assert.Equal(EscalationCluster.Start + 50 * Minute, state.StatusUpdateDueAt);
        await _cluster.Advance(14 * Minute, Minute, incident, s => Assert.Equal(2, Reminders(s).Count));
        await _cluster.Advance(Minute, Minute, incident);
        Assert.Equal(3, Reminders((await incident.Get())!).Count);

        await incident.Resolve("oncall", null);
        await _cluster.Advance(TimeSpan.FromMinutes(45), 5 * Minute, incident);
        state = (await incident.Get())!;
        Assert.Equal(3, Reminders(state).Count);
        Assert.Null(state.StatusUpdateDueAt);
        Assert.Equal(CommandOutcome.Conflict, (await incident.PostStatusUpdate("oncall", "late")).Outcome);
    }

    [Fact]
    public async Task Priorities_the_service_does_not_name_owe_no_updates_and_a_raised_priority_starts_its_clock_then()
    {
        await PracticeSetup.Load(_cluster.Store, statusUpdates: new StatusUpdatePolicy([Priority.P1, Priority.P2], TimeSpan.FromMinutes(10)));
        var incident = await Trigger("slow-queue", Severity.Warning);
        Assert.Equal(Priority.P3, (await incident.Get())!.Priority);

        await _cluster.Advance(30 * Minute, 5 * Minute, incident, s => Assert.Null(s.StatusUpdateDueAt));
        Assert.Equal(CommandOutcome.Done, (await incident.SetPriority(Priority.P2, "oncall")).Outcome);
        Assert.Equal(EscalationCluster.Start + 40 * Minute, (await incident.Get())!.StatusUpdateDueAt);
        await _cluster.Advance(9 * Minute, Minute, incident, s => Assert.Empty(Reminders(s)));
        await _cluster.Advance(Minute, Minute, incident);
        Assert.Single(Reminders((await incident.Get())!));

        // Lowered again, it owes none, and says nothing more.
        await incident.SetPriority(Priority.P4, "oncall");
        await _cluster.Advance(30 * Minute, 5 * Minute, incident);
        var state = (await incident.Get())!;
        Assert.Single(Reminders(state));
        Assert.Null(state.StatusUpdateDueAt);
    }

    [Fact]
    public async Task A_reminder_due_while_the_activation_was_collected_fires_once_when_the_row_falls_due()
    {
        await PracticeSetup.Load(_cluster.Store);
        var incident = await Trigger("payments-5xx");
        await _cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        // Nothing keeps the incident active: the deadline service wakes it from its row.
        await _cluster.Advance(20 * Minute, 5 * Minute, () => _cluster.Deadlines.WhenIdle());
        // Read from the row before anything calls the grain: the deadline service did it, not a later call.
        await using (var cmd = _cluster.Db.CreateCommand(
            "SELECT count(*) FROM incidents, jsonb_array_elements(state->'timeline') e WHERE id = $1 AND e->>'type' = 'status_update_due'"))
        {
            cmd.Parameters.AddWithValue(incident.GetPrimaryKeyString());
            Assert.Equal(1L, await cmd.ExecuteScalarAsync());
        }
        var state = (await incident.Get())!;
        Assert.Single(Reminders(state));
        Assert.Equal(EscalationCluster.Start + 30 * Minute, state.StatusUpdateDueAt);
    }

    private async Task<IIncidentGrain> Trigger(string dedupKey, Severity severity = Severity.Critical)
    {
        var trigger = OnCallSetup.TriggerFor(dedupKey) with { Severity = severity };
        var id = await _cluster.Grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(OnCallSetup.ServiceId, dedupKey)).Trigger(trigger);
        return _cluster.Grains.GetGrain<IIncidentGrain>(id);
    }

    private static List<string> Reminders(IncidentState s) => [.. s.Timeline.Where(e => e.Type == "status_update_due").Select(e => e.Message)];
}
