using Escalation.Rotations;
using NodaTime;

namespace Escalation.Api.Rotations;

/// <summary>Shows instants with the offset they have in the rotation's zone, which is how its handoffs are defined.</summary>
public sealed class RotationZone(Rotation rotation)
{
    private readonly DateTimeZone _zone = DateTimeZoneProviders.Tzdb[rotation.TimeZone];

    public DateTimeOffset Show(DateTimeOffset at) => Instant.FromDateTimeOffset(at).InZone(_zone).ToDateTimeOffset();
}

/// <summary>Who is on call at one instant. ScheduledUserId is set only when an override changed who that is.</summary>
public sealed record OnCallView(
    string RotationId,
    DateTimeOffset At,
    string? UserId,
    IReadOnlyList<string> UserIds,
    long Index,
    DateTimeOffset ShiftStart,
    DateTimeOffset ShiftEnd,
    string? ScheduledUserId,
    IReadOnlyList<string> OverrideIds)
{
    public static OnCallView Of(Rotation rotation, DateTimeOffset at, OnCallPeriod period)
    {
        var zone = new RotationZone(rotation);
        return new(rotation.Id, zone.Show(at), period.UserIds.FirstOrDefault(), period.UserIds, period.Shift.Index,
            zone.Show(period.Shift.Start), zone.Show(period.Shift.End), ScheduledIfChanged(period), period.OverrideIds);
    }

    internal static string? ScheduledIfChanged(OnCallPeriod period) =>
        period.OverrideIds.Count > 0 && !period.UserIds.SequenceEqual([period.Shift.UserId]) ? period.Shift.UserId : null;
}

/// <summary>One stretch of a shift with the same people on call: a whole shift unless an override cuts it.</summary>
public sealed record ShiftView(
    long Index,
    string? UserId,
    IReadOnlyList<string> UserIds,
    string? ScheduledUserId,
    DateTimeOffset Start,
    DateTimeOffset End,
    DateTimeOffset ShiftStart,
    DateTimeOffset ShiftEnd,
    IReadOnlyList<string> OverrideIds)
{
    public static ShiftView Of(RotationZone zone, OnCallPeriod period) =>
        new(period.Shift.Index, period.UserIds.FirstOrDefault(), period.UserIds, OnCallView.ScheduledIfChanged(period),
            zone.Show(period.Start), zone.Show(period.End), zone.Show(period.Shift.Start), zone.Show(period.Shift.End), period.OverrideIds);
}

public sealed record ShiftsView(string RotationId, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ShiftView> Shifts);
