using Escalation.Incidents;

namespace Escalation.Alerts;

/// <summary>
/// One dedup key of one service, keyed "{serviceId}|{dedupKey}". It knows which incident is open for the key,
/// so that alerts with the same key add to that incident, and serialises them so that two can never open two.
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
    public static string For(string serviceId, string dedupKey) => $"{serviceId}|{dedupKey}";
}
