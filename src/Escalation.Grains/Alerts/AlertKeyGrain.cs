using Escalation.Deadlines;
using Escalation.Incidents;
using Escalation.Keys;

namespace Escalation.Alerts;

/// <summary>
/// One dedup key of one service. It stores nothing: the incidents table's unique index of open incidents by service
/// and dedup key is the guarantee that two alerts never open two incidents, even from two activations of this grain
/// (briefly, after a crash). The grain serialises the alerts of its key on this silo and remembers the open
/// incident, so that an alert for a key already open costs its incident's write and nothing more.
/// </summary>
public sealed class AlertKeyGrain(IIncidentStore incidents, TimeProvider clock) : Grain, IAlertKeyGrain
{
    // An incident resolved, or another activation won the race: a few tries settle it.
    private const int MostTries = 4;

    private string? _openId;

    /// <summary>
    /// A key not seen by this activation opens an incident at once (one write, no lookup): the dedup index refuses it
    /// if one is open already, and only then is the open one looked up and added to.
    /// </summary>
    public Task<string> Trigger(IncidentTrigger trigger) => this.Guarded(async () =>
    {
        for (var tries = 0; tries < MostTries; tries++)
        {
            if (_openId is { } openId)
            {
                if (await Incident(openId).Trigger(trigger) != TriggerOutcome.Closed) return openId;
                _openId = null;
                continue;
            }
            var id = IncidentIds.New(clock.GetUtcNow());
            if (await Incident(id).Open(trigger) == TriggerOutcome.Opened) return _openId = id;
            _openId = await LookUp();
        }
        throw new InvalidOperationException($"Dedup key {this.GetPrimaryKeyString()} kept changing hands.");
    });

    public Task<string?> Acknowledge(string by) => this.Guarded(() =>
        ActOnOpen(incident => incident.Acknowledge(by, "acknowledge event")));

    public Task<string?> Resolve(string by) => this.Guarded(async () =>
    {
        var id = await ActOnOpen(incident => incident.Resolve(by, "resolve event", bySource: true));
        _openId = null;
        return id;
    });

    private Task<string?> LookUp()
    {
        var (serviceId, dedupKey) = AlertKeys.Parse(this.GetPrimaryKeyString());
        return incidents.OpenFor(serviceId, dedupKey);
    }

    /// <summary>Acts on the open incident. A conflict (say, acknowledging twice) is not an error for an event.</summary>
    private async Task<string?> ActOnOpen(Func<IIncidentGrain, Task<CommandResult>> act)
    {
        if ((_openId ??= await LookUp()) is not { } id) return null;
        var result = await act(Incident(id));
        return result.Outcome == CommandOutcome.NotFound ? null : id;
    }

    private IIncidentGrain Incident(string id) => GrainFactory.GetGrain<IIncidentGrain>(id);
}
