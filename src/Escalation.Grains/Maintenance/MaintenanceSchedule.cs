using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;
using NodaTime;

namespace Escalation.Maintenance;

/// <summary>
/// When a maintenance window is in effect. A recurrence is evaluated by Ical.Net in wall-clock time, from the first
/// occurrence's local start, and each occurrence keeps the first one's local start and end times: "Sunday 02:00-04:00"
/// stays 02:00-04:00 on both sides of a DST change, even when that makes the occurrence an hour shorter or longer.
/// A local time that a DST change skips is moved forward by the gap; one it repeats is read as the earlier instant.
/// </summary>
public static class MaintenanceSchedule
{
    /// <summary>How many rule steps may match nothing before the rule is taken to have no more occurrences.</summary>
    private const int MaxUnmatchedSteps = 10_000;

    /// <summary>The occurrence in effect at <paramref name="at"/>, or null.</summary>
    public static MaintenanceOccurrence? At(MaintenanceWindow window, DateTimeOffset at) =>
        From(window, at).FirstOrDefault() is { } next && next.Covers(at) ? next : null;

    /// <summary>The next instant the window starts or ends after <paramref name="at"/>; null when it never does again.</summary>
    public static DateTimeOffset? NextBoundary(MaintenanceWindow window, DateTimeOffset at) =>
        From(window, at).FirstOrDefault() is { } next ? (next.Start > at ? next.Start : next.End) : null;

    /// <summary>The occurrences that end after <paramref name="at"/>, in order, with an early end applied.</summary>
    public static IEnumerable<MaintenanceOccurrence> From(MaintenanceWindow window, DateTimeOffset at)
    {
        foreach (var occurrence in Occurrences(window, at))
        {
            var ended = window.EndedEarly is { } early && early.OccurrenceStart == occurrence.Start
                ? occurrence with { End = early.At < occurrence.End ? early.At : occurrence.End }
                : occurrence;
            if (ended.End > at && ended.End > ended.Start) yield return ended;
        }
    }

    /// <summary>The first occurrence, as the rule gives it; null when the rule never produces one.</summary>
    public static MaintenanceOccurrence? First(MaintenanceWindow window) =>
        Occurrences(window, window.Start - TimeSpan.FromTicks(1)).FirstOrDefault();

    private static IEnumerable<MaintenanceOccurrence> Occurrences(MaintenanceWindow window, DateTimeOffset at)
    {
        if (window.Recurrence is not { } recurrence)
        {
            yield return new MaintenanceOccurrence(window.Start, window.End);
            yield break;
        }
        var zone = DateTimeZoneProviders.Tzdb[recurrence.TimeZone];
        var localStart = Local(window.Start, zone);
        var length = NodaTime.Period.Between(localStart, Local(window.End, zone));
        var calendarEvent = new CalendarEvent { DtStart = Floating(localStart), RecurrenceRule = new RecurrencePattern(recurrence.Rule) };
        // Start the search a whole occurrence (and a day, for offsets) early, so that the one in progress is found.
        var searchFrom = Local(at, zone).Minus(length).PlusDays(-1);
        if (searchFrom < localStart) searchFrom = localStart;
        var occurrences = calendarEvent.GetOccurrences(Floating(searchFrom), new EvaluationOptions { MaxUnmatchedIncrementsLimit = MaxUnmatchedSteps });
        using var each = occurrences.GetEnumerator();
        while (true)
        {
            try
            {
                if (!each.MoveNext()) yield break;
            }
            catch (Exception e) when (e is EvaluationException or ArgumentException or InvalidOperationException or OverflowException or FormatException)
            {
                // A rule Ical.Net cannot take any further has no more occurrences: alerts page as usual.
                yield break;
            }
            var start = LocalDateTime.FromDateTime(each.Current.Period.StartTime.Value);
            yield return new MaintenanceOccurrence(ToInstant(start, zone), ToInstant(start.Plus(length), zone));
        }
    }

    private static LocalDateTime Local(DateTimeOffset at, DateTimeZone zone) => Instant.FromDateTimeOffset(at).InZone(zone).LocalDateTime;

    private static DateTimeOffset ToInstant(LocalDateTime local, DateTimeZone zone) =>
        local.InZoneLeniently(zone).ToDateTimeOffset();

    private static CalDateTime Floating(LocalDateTime local) =>
        new(local.Year, local.Month, local.Day, local.Hour, local.Minute, local.Second);
}
