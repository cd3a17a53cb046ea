namespace Escalation.Practice;

/// <summary>How soon an incident of one priority must be first answered (acknowledged or resolved) and recovered; null is no target.</summary>
[GenerateSerializer, Alias("escalation.response-target")]
public sealed record ResponseTarget(
    [property: Id(0)] TimeSpan? Acknowledge,
    [property: Id(1)] TimeSpan? Resolve)
{
    public static readonly ResponseTarget None = new(null, null);
}
