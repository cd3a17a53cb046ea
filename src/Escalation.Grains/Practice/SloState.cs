using Escalation.Deadlines;

namespace Escalation.Practice;

[GenerateSerializer, Alias("escalation.slo-state")]
public sealed class SloState : IHasNextDeadline
{
    /// <summary>The incident open on the service because a burn-rate rule fires; null when none is.</summary>
    [Id(0)] public string? AlertIncidentId { get; set; }
    [Id(1)] public DateTimeOffset? NextDeadline { get; set; }
    /// <summary>The last check found no SLO: the next that finds none too stops watching (one may read a stale cache).</summary>
    [Id(2)] public bool FoundNone { get; set; }
}
