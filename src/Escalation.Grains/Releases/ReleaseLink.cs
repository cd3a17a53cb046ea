namespace Escalation.Releases;

/// <summary>A production release an incident opened during the watch of: the change event's id, summary and time.</summary>
[GenerateSerializer, Alias("escalation.release-link")]
public sealed record ReleaseLink([property: Id(0)] string Id, [property: Id(1)] string Summary, [property: Id(2)] DateTimeOffset At);
