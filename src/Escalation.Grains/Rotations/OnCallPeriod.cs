namespace Escalation.Rotations;

/// <summary>
/// A stretch [Start, End) of one shift during which the same overrides hold. UserIds is who is on call there, in
/// order (scheduled or replacing user first, added users after); it may be empty when the scheduled user is removed.
/// OverrideIds names the overrides that changed it; empty means UserIds is just the shift's scheduled user.
/// </summary>
[GenerateSerializer, Alias("escalation.rotation-on-call")]
public sealed record OnCallPeriod(
    [property: Id(0)] Shift Shift,
    [property: Id(1)] DateTimeOffset Start,
    [property: Id(2)] DateTimeOffset End,
    [property: Id(3)] IReadOnlyList<string> UserIds,
    [property: Id(4)] IReadOnlyList<string> OverrideIds);
