using Escalation.Deadlines;
using Escalation.Incidents;

namespace Escalation.Alerts;

/// <summary>
/// One dedup key of one service: which incident is open for it. Every command is guarded, and a pointer is only
/// changed in memory together with its write: a write that fails puts the pointer back, so a retry never finds
/// a pointer that was not stored.
/// </summary>
public sealed class AlertKeyGrain(
    [PersistentState("alert-key", "incidents")] IPersistentState<AlertKeyState> store,
    TimeProvider clock) : Grain, IAlertKeyGrain
{
    public Task<string> Trigger(IncidentTrigger trigger) => this.Guarded(async () =>
    {
        if (store.State.OpenIncidentId is { } openId &&
            await Incident(openId).Trigger(trigger) != TriggerOutcome.Closed)
        {
            return openId;
        }

        // The pointer is written before the incident exists: a retry after a crash reaches the same incident.
        var id = IncidentIds.New(clock.GetUtcNow());
        await Point(id);
        await Incident(id).Trigger(trigger);
        return id;
    });

    public Task<string?> Acknowledge(string by) => this.Guarded(() =>
        ActOnOpen(incident => incident.Acknowledge(by, "acknowledge event")));

    public Task<string?> Resolve(string by) => this.Guarded(async () =>
    {
        var id = await ActOnOpen(incident => incident.Resolve(by, "resolve event"));
        if (id is not null) await Point(null);
        return id;
    });

    private async Task Point(string? incidentId)
    {
        var before = store.State.OpenIncidentId;
        store.State.OpenIncidentId = incidentId;
        try
        {
            await store.WriteStateAsync();
        }
        catch
        {
            store.State.OpenIncidentId = before;
            throw;
        }
    }

    /// <summary>Acts on the open incident. A conflict (say, acknowledging twice) is not an error for an event.</summary>
    private async Task<string?> ActOnOpen(Func<IIncidentGrain, Task<CommandResult>> act)
    {
        if (store.State.OpenIncidentId is not { } id) return null;
        var result = await act(Incident(id));
        return result.Outcome == CommandOutcome.NotFound ? null : id;
    }

    private IIncidentGrain Incident(string id) => GrainFactory.GetGrain<IIncidentGrain>(id);
}
