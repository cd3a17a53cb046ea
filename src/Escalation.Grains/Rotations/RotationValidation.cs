using System.Globalization;
using NodaTime;

namespace Escalation.Rotations;

/// <summary>The field rules for schedules and overrides, so the API and the grain reject the same things.</summary>
public static class RotationValidation
{
    /// <summary>No shift longer than a year, which also keeps handoff arithmetic far from overflow.</summary>
    public static int MaxShiftLength(RotationType type) => type switch
    {
        RotationType.Hourly => 366 * 24,
        RotationType.Daily => 366,
        _ => 53,
    };

    public static IReadOnlyList<FieldError> Errors(RotationSchedule schedule)
    {
        var errors = new List<FieldError>();
        var zone = schedule.TimeZone is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(schedule.TimeZone);
        if (zone is null)
            errors.Add(new("time_zone", $"'{schedule.TimeZone}' is not an IANA time zone such as Asia/Tokyo."));
        if (!Enum.IsDefined(schedule.Type))
            errors.Add(new("type", "'type' must be hourly, daily or weekly."));
        else if (schedule.ShiftLength < 1 || schedule.ShiftLength > MaxShiftLength(schedule.Type))
            errors.Add(new("shift_length", $"'shift_length' must be between 1 and {MaxShiftLength(schedule.Type)}."));
        if (schedule.Participants is not { Count: > 0 })
            errors.Add(new("participants", "'participants' must list at least one user id."));
        else
            for (var i = 0; i < schedule.Participants.Count; i++)
                if (string.IsNullOrWhiteSpace(schedule.Participants[i]))
                    errors.Add(new($"participants[{i}]", "A participant must be a user id."));
        if (zone is not null && SecondOccurrence(zone, schedule.Start) is { } first)
            errors.Add(new("start", $"'start' is the second occurrence of a repeated local time in {zone.Id}; handoffs happen at its "
                + $"first occurrence, {first.ToString("yyyy-MM-dd'T'HH':'mm':'sszzz", CultureInfo.InvariantCulture)}. Give that offset, or another time."));
        return errors;
    }

    public static IReadOnlyList<FieldError> Errors(RotationOverride candidate)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(candidate.UserId))
            errors.Add(new("user_id", "'user_id' is required."));
        if (!Enum.IsDefined(candidate.Type))
            errors.Add(new("type", "'type' must be replace, add or remove."));
        else if (candidate.Type == OverrideType.Replace)
        {
            if (string.IsNullOrWhiteSpace(candidate.ReplacesUserId))
                errors.Add(new("replaces_user_id", "'replaces_user_id' is required for a replace."));
            else if (candidate.ReplacesUserId == candidate.UserId)
                errors.Add(new("replaces_user_id", "'replaces_user_id' must differ from 'user_id'."));
        }
        else if (candidate.ReplacesUserId is not null)
            errors.Add(new("replaces_user_id", "'replaces_user_id' is only for a replace."));
        if (candidate.End <= candidate.Start)
            errors.Add(new("end", "'end' must be after 'start'."));
        return errors;
    }

    /// <summary>
    /// Handoffs resolve a repeated local time to its first occurrence, handoff 0 included; a start that names the
    /// second occurrence would silently move an hour earlier, so it is refused. Returns the first occurrence then.
    /// </summary>
    private static DateTimeOffset? SecondOccurrence(DateTimeZone zone, DateTimeOffset start)
    {
        var instant = Instant.FromDateTimeOffset(start);
        var mapping = zone.MapLocal(instant.InZone(zone).LocalDateTime);
        return mapping.Count == 2 && mapping.First().ToInstant() != instant ? mapping.First().ToDateTimeOffset() : null;
    }
}
