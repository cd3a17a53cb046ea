using Escalation.Incidents;

namespace Escalation.Alerts;

public sealed class AlertKeyGrain(
    [PersistentState("alert-key", "incidents")] IPersistentState<AlertKeyState> store,
    TimeProvider clock) : Grain, IAlertKeyGrain
{
    public async Task<string> Trigger(IncidentTrigger trigger)
    {
        if (store.State.OpenIncidentId is { } openId &&
            await Incident(openId).Trigger(trigger) != TriggerOutcome.Closed)
        {
            return openId;
        }

        // The pointer is written before the incident exists: a retry after a crash reaches the same incident.
        var id = IncidentIds.New(clock.GetUtcNow());
        store.State.OpenIncidentId = id;
        await store.WriteStateAsync();
        await Incident(id).Trigger(trigger);
        return id;
    }

    public Task<string?> Acknowledge(string by) =>
        ActOnOpen(incident => incident.Acknowledge(by, "acknowledge event"));

    public async Task<string?> Resolve(string by)
    {
        var id = await ActOnOpen(incident => incident.Resolve(by, "resolve event"));
        if (id is not null)
        {
            store.State.OpenIncidentId = null;
            await store.WriteStateAsync();
        }
        return id;
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
