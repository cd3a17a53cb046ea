using Escalation.Notifications;

namespace Escalation.Incidents;

/// <summary>One incident, keyed by its id. It owns its escalation deadlines and its outbox of pages.</summary>
[Alias("escalation.IIncidentGrain")]
public interface IIncidentGrain : IGrainWithStringKey
{
    [Alias("trigger")] Task<TriggerOutcome> Trigger(IncidentTrigger trigger);
    /// <summary>Opens the incident with an id just made (<see cref="IncidentIds.New"/>): nothing is stored under it, so nothing is read.</summary>
    [Alias("open")] Task<TriggerOutcome> Open(IncidentTrigger trigger);
    /// <param name="expected">what the sender expects the incident to be (an email link's cycle); a Conflict if it is not</param>
    [Alias("acknowledge")] Task<CommandResult> Acknowledge(string by, string? note, CommandExpectation? expected = null);
    /// <param name="expected">what the sender expects the incident to be (an email link's cycle); a Conflict if it is not</param>
    /// <param name="bySource">the source said it recovered (a resolve event, a monitor): not a first response, so not measured as one</param>
    [Alias("resolve")] Task<CommandResult> Resolve(string by, string? note, Recovery? recovery = null, CommandExpectation? expected = null, bool bySource = false);
    [Alias("escalate")] Task<CommandResult> Escalate(string by, string? note);
    /// <summary>Sets the priority by hand; the incident then takes that priority's route (see the grain).</summary>
    [Alias("set-priority")] Task<CommandResult> SetPriority(Routing.Priority priority, string by);
    /// <summary>A maintenance window holds the incident: it stops escalating and pages nobody until the hold ends.</summary>
    [Alias("hold")] Task<CommandResult> Hold(Maintenance.MaintenanceHold hold);
    /// <summary>The window ended: released unless another one still holds it (see the grain).</summary>
    [Alias("release")] Task<CommandResult> Release(string windowId);
    /// <summary>A status update of an open incident: on the timeline and in its Slack thread; its reminder clock starts again.</summary>
    [Alias("post-status-update")] Task<CommandResult> PostStatusUpdate(string by, string message);
    [Alias("get")] Task<IncidentState?> Get();
    [Alias("report-delivery")] Task ReportDelivery(DeliveryReport report);
}
