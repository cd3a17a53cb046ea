using System.Globalization;
using Escalation.Rotations;

namespace Escalation.Tests.Rotations;

/// <summary>Builds schedules for the tests; participants are u0, u1, ... so a user id shows its slot.</summary>
internal static class Rotation
{
    public static RotationSchedule Schedule(string zone, RotationType type, int length, string start, int participants = 5) =>
        new(zone, type, length, At(start), Enumerable.Range(0, participants).Select(i => $"u{i}").ToList());

    public static RotationTimeline Timeline(string zone, RotationType type, int length, string start, int participants = 5) =>
        new(Schedule(zone, type, length, start, participants));

    public static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.None);

    /// <summary>"index slot start end", instants in UTC, the form the tables state expected shifts in.</summary>
    public static string Describe(Shift shift) =>
        $"{shift.Index} {shift.Slot} {Utc(shift.Start)} {Utc(shift.End)}";

    public static string Utc(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);
}
