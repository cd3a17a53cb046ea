namespace Escalation.Maintenance;

/// <summary>
/// A stretch of time in which the <paramref name="Services"/> page nobody: alerts are recorded and listed, open
/// incidents stop escalating. <paramref name="Start"/> and <paramref name="End"/> bound the first (or only) occurrence;
/// a <paramref name="Recurrence"/> repeats it at the same wall-clock times in its time zone.
/// </summary>
[GenerateSerializer, Alias("escalation.maintenance-window")]
public sealed record MaintenanceWindow(
    [property: Id(0)] string Id,
    [property: Id(1)] IReadOnlyList<string> Services,
    [property: Id(2)] string? Reason,
    [property: Id(3)] DateTimeOffset Start,
    [property: Id(4)] DateTimeOffset End,
    [property: Id(5)] MaintenanceRecurrence? Recurrence,
    [property: Id(6)] string CreatedBy,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] EarlyEnd? EndedEarly = null,
    [property: Id(9)] DateTimeOffset? RecurrenceEnds = null)
{
    /// <summary>When the window is over for good; null while a recurrence without an end (or too long to count) goes on.</summary>
    public DateTimeOffset? LastEnd => Recurrence is null ? EndedEarly?.At ?? End : RecurrenceEnds;
}

/// <summary>An RFC 5545 RRULE (without the "RRULE:" prefix), read in an IANA time zone.</summary>
[GenerateSerializer, Alias("escalation.maintenance-recurrence")]
public sealed record MaintenanceRecurrence(
    [property: Id(0)] string Rule,
    [property: Id(1)] string TimeZone);

/// <summary>The occurrence that began at <paramref name="OccurrenceStart"/> was ended early, at <paramref name="At"/>.</summary>
[GenerateSerializer, Alias("escalation.maintenance-early-end")]
public sealed record EarlyEnd(
    [property: Id(0)] DateTimeOffset OccurrenceStart,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string By);

/// <summary>One occurrence of a window: [Start, End).</summary>
[GenerateSerializer, Alias("escalation.maintenance-occurrence")]
public sealed record MaintenanceOccurrence(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] DateTimeOffset End)
{
    public bool Covers(DateTimeOffset at) => Start <= at && at < End;
}

/// <summary>Why an incident pages nobody for now: the window it is held by, and until when.</summary>
[GenerateSerializer, Alias("escalation.maintenance-hold")]
public sealed record MaintenanceHold(
    [property: Id(0)] string WindowId,
    [property: Id(1)] DateTimeOffset Until,
    [property: Id(2)] string? Reason);
