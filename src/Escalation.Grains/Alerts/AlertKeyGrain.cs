using Escalation.Deadlines;
using Escalation.Incidents;
using Escalation.Keys;

namespace Escalation.Alerts;

/// <summary>
/// One dedup key of one service. It stores nothing: the incidents table's unique index of open incidents by service
/// and dedup key is the guarantee that two alerts never open two incidents, even from two activations of this grain
/// (briefly, after a crash). The grain serialises the alerts of its key on this silo and remembers the open
/// incident, so that an alert for a key already open costs its incident's write and no lookup.
/// </summary>
public sealed class AlertKeyGrain(IIncidentStore incidents, TimeProvider clock) : Grain, IAlertKeyGrain
{
    // An incident resolved, or another activation won the race: a few lookups settle it.
    private const int MostTries = 4;

    private string? _openId;
    private bool _lookedUp;

    public Task<string> Trigger(IncidentTrigger trigger) => this.Guarded(async () =>
    {
        for (var tries = 0; tries < MostTries; tries++)
        {
            if (await OpenIncident() is { } openId)
            {
                if (await Incident(openId).Trigger(trigger) != TriggerOutcome.Closed) return openId;
                Forget();
                continue;
            }
            var id = IncidentIds.New(clock.GetUtcNow());
            if (await Incident(id).Trigger(trigger) == TriggerOutcome.Opened)
            {
                _openId = id;
                return id;
            }
            // Lost the race for the key to an incident opened elsewhere: look it up and add to it.
            Forget();
        }
        throw new InvalidOperationException($"Dedup key {this.GetPrimaryKeyString()} kept changing hands.");
    });

    public Task<string?> Acknowledge(string by) => this.Guarded(() =>
        ActOnOpen(incident => incident.Acknowledge(by, "acknowledge event")));

    public Task<string?> Resolve(string by) => this.Guarded(async () =>
    {
        var id = await ActOnOpen(incident => incident.Resolve(by, "resolve event"));
        Forget();
        return id;
    });

    private async Task<string?> OpenIncident()
    {
        if (_lookedUp) return _openId;
        var (serviceId, dedupKey) = AlertKeys.Parse(this.GetPrimaryKeyString());
        _openId = await incidents.OpenFor(serviceId, dedupKey);
        _lookedUp = true;
        return _openId;
    }

    private void Forget() => (_openId, _lookedUp) = (null, false);

    /// <summary>Acts on the open incident. A conflict (say, acknowledging twice) is not an error for an event.</summary>
    private async Task<string?> ActOnOpen(Func<IIncidentGrain, Task<CommandResult>> act)
    {
        if (await OpenIncident() is not { } id) return null;
        var result = await act(Incident(id));
        return result.Outcome == CommandOutcome.NotFound ? null : id;
    }

    private IIncidentGrain Incident(string id) => GrainFactory.GetGrain<IIncidentGrain>(id);
}
