using Escalation.Api.Http;
using Escalation.Maintenance;
using Ical.Net.DataTypes;
using NodaTime;
using NodaTime.Text;

namespace Escalation.Api.Maintenance;

public sealed record RecurrenceBody(string? Rule, string? TimeZone);

/// <summary>
/// <c>POST /maintenance-windows</c>. <c>start</c> and <c>end</c> bound the first (or only) occurrence: date-times with
/// an offset, or, with a <c>recurrence</c>, wall-clock times in its time zone ("2026-12-06T02:00:00").
/// </summary>
public sealed record MaintenanceWindowBody(List<string?>? Services, string? Start, string? End, RecurrenceBody? Recurrence, string? Reason)
{
    public const int MaxServices = 100;
    public static readonly TimeSpan LongestOccurrence = TimeSpan.FromDays(7);
    public static readonly TimeSpan LongestWindow = TimeSpan.FromDays(366);
    private static readonly string[] TooFrequent = ["SECONDLY", "MINUTELY"];
    /// <summary>How many of the coming occurrences are checked not to overlap: enough for any weekly or monthly pattern.</summary>
    private const int OverlapChecked = 60;
    private const int CountedAtMost = 10_000;

    /// <summary>The window, or null with the errors in <paramref name="v"/>.</summary>
    public MaintenanceWindow? Build(Validator v, string id, string by, DateTimeOffset now)
    {
        var services = Services ?? [];
        if (services.Count == 0) v.Add("services", "'services' must name at least one service id.");
        if (services.Count > MaxServices) v.Add("services", $"'services' may name at most {MaxServices} services.");
        for (var i = 0; i < services.Count && i < MaxServices; i++)
        {
            if (services[i] is { } service) v.Id($"services[{i}]", service);
            else v.Add($"services[{i}]", $"'services[{i}]' must be a service id.");
        }
        v.Text("reason", Reason, 1024);
        var zone = RecurrenceZone(v);
        var start = Time(v, "start", Start, zone);
        var end = Time(v, "end", End, zone);
        if (start is not null && end is not null && end <= start) v.Add("end", "'end' must be after 'start'.");
        if (Recurrence is null && end is not null && end <= now) v.Add("end", "'end' is in the past: the window would never be in effect.");
        if (start is not null && end is not null && end - start > (Recurrence is null ? LongestWindow : LongestOccurrence))
            v.Add("end", Recurrence is null ? "A window may last at most 366 days." : "An occurrence of a recurring window may last at most 7 days.");
        var rule = RecurrenceRule(v);
        if (!v.IsValid) return null;

        var window = new MaintenanceWindow(id, services.Distinct().ToList()!, string.IsNullOrWhiteSpace(Reason) ? null : Reason,
            start!.Value, end!.Value, rule is null ? null : new MaintenanceRecurrence(rule, Recurrence!.TimeZone!), by, now);
        if (window.Recurrence is null) return window;
        var upcoming = MaintenanceSchedule.From(window, now).Take(OverlapChecked).ToList();
        if (upcoming.Count == 0) v.Add("recurrence.rule", "The rule has no occurrence that ends after now.");
        else if (upcoming.Zip(upcoming.Skip(1)).FirstOrDefault(p => p.Second.Start < p.First.End) is { First: not null } overlap)
            v.Add("recurrence.rule", $"Occurrences overlap (one from {overlap.First.Start:O} to {overlap.First.End:O}, the next from " +
                $"{overlap.Second.Start:O}): each must end before the next starts. Shorten 'end' or repeat less often.");
        if (!v.IsValid) return null;
        // A rule with COUNT or UNTIL ends: its last end lets the window drop out of the lookups once it is over.
        var all = MaintenanceSchedule.From(window, window.Start - TimeSpan.FromTicks(1)).Take(CountedAtMost + 1).ToList();
        return all.Count <= CountedAtMost ? window with { RecurrenceEnds = all[^1].End } : window;
    }

    private DateTimeZone? RecurrenceZone(Validator v)
    {
        if (Recurrence is null) return null;
        v.TimeZone("recurrence.time_zone", Recurrence.TimeZone);
        return Recurrence.TimeZone is { } name ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(name) : null;
    }

    /// <summary>With an offset it is an instant; a wall-clock time is read in the recurrence's zone.</summary>
    private DateTimeOffset? Time(Validator v, string field, string? value, DateTimeZone? zone)
    {
        if (zone is not null && value is not null && LocalDateTimePattern.ExtendedIso.Parse(value) is { Success: true } local)
            return local.Value.InZoneLeniently(zone).ToDateTimeOffset();
        if (Recurrence is not null && zone is null && value is not null && !OffsetDateTimePattern.ExtendedIso.Parse(value).Success)
            return null; // the time zone's own error says what is wrong
        return v.Timestamp(field, value);
    }

    private string? RecurrenceRule(Validator v)
    {
        if (Recurrence is null) return null;
        var rule = Recurrence.Rule?.Trim();
        if (rule is not null && rule.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase)) rule = rule[6..];
        if (string.IsNullOrWhiteSpace(rule))
        {
            v.Add("recurrence.rule", "'recurrence.rule' is required: an RFC 5545 RRULE such as FREQ=WEEKLY;BYDAY=SU.");
            return null;
        }
        if (rule.Length > 512 || rule.Any(char.IsControl))
        {
            v.Add("recurrence.rule", "'recurrence.rule' must be one line of at most 512 characters.");
            return null;
        }
        try
        {
            var pattern = new RecurrencePattern(rule);
            if (TooFrequent.Contains(pattern.Frequency.ToString().ToUpperInvariant()))
            {
                v.Add("recurrence.rule", "A maintenance window recurs at most hourly: use FREQ=HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY.");
                return null;
            }
            return rule;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            v.Add("recurrence.rule", $"'recurrence.rule' is not an RRULE Ical.Net can evaluate: {e.Message}");
            return null;
        }
    }
}
