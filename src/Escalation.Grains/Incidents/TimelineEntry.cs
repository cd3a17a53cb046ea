namespace Escalation.Incidents;

[GenerateSerializer, Alias("escalation.timeline-entry")]
public sealed record TimelineEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Type,
    [property: Id(2)] string Actor,
    [property: Id(3)] string Message);
