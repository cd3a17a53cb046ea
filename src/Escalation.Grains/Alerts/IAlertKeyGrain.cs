using Escalation.Incidents;
using Escalation.Keys;

namespace Escalation.Alerts;

/// <summary>
/// One dedup key of one service, keyed "{serviceId}|{dedupKey}" with the dedup key escaped (<see cref="AlertKeys"/>). It finds the incident open for the key,
/// so that alerts with the same key add to that incident; the incidents table's unique index keeps it to one.
/// </summary>
[Alias("escalation.IAlertKeyGrain")]
public interface IAlertKeyGrain : IGrainWithStringKey
{
    /// <summary>Adds the alert to the open incident, or opens one. Returns the incident id.</summary>
    [Alias("trigger")] Task<string> Trigger(IncidentTrigger trigger);

    /// <summary>Acknowledges the open incident, if any. Returns its id, or null when none is open.</summary>
    [Alias("acknowledge")] Task<string?> Acknowledge(string by);

    /// <summary>Resolves the open incident, if any. Returns its id, or null when none is open.</summary>
    [Alias("resolve")] Task<string?> Resolve(string by);
}

public static class AlertKeys
{
    /// <summary>A service id is an id (no '|'), so the first '|' ends it; the dedup key is the monitor's own text.</summary>
    public static string For(string serviceId, string dedupKey) => $"{GrainKey.Escape(serviceId)}|{GrainKey.Escape(dedupKey)}";

    public static (string ServiceId, string DedupKey) Parse(string key)
    {
        var bar = key.IndexOf('|');
        return (GrainKey.Unescape(key[..bar]), GrainKey.Unescape(key[(bar + 1)..]));
    }
}
