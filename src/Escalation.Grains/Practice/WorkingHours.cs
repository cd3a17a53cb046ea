using NodaTime;

namespace Escalation.Practice;

/// <summary>The hours a page does not count as after hours: weekdays from <paramref name="Start"/> to <paramref name="End"/>, in the person's own zone.</summary>
public sealed record WorkingHours(LocalTime Start, LocalTime End)
{
    public static readonly WorkingHours Default = new(new LocalTime(9, 0), new LocalTime(18, 0));

    public bool IsAfterHours(DateTimeOffset at, DateTimeZone zone)
    {
        var local = Instant.FromDateTimeOffset(at).InZone(zone).LocalDateTime;
        var weekend = local.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;
        return weekend || local.TimeOfDay < Start || local.TimeOfDay >= End;
    }
}
