namespace Escalation.Rotations;

/// <summary>
/// What fixes every handoff of a rotation. <see cref="Start"/> is an instant; the wall-clock time it denotes in
/// <see cref="TimeZone"/> is the phase of every handoff before and after it (see <see cref="RotationTimeline"/>).
/// </summary>
[GenerateSerializer, Alias("escalation.rotation-schedule")]
public sealed record RotationSchedule(
    [property: Id(0)] string TimeZone,
    [property: Id(1)] RotationType Type,
    [property: Id(2)] int ShiftLength,
    [property: Id(3)] DateTimeOffset Start,
    [property: Id(4)] IReadOnlyList<string> Participants);
