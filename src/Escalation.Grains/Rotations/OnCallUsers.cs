namespace Escalation.Rotations;

/// <summary>Who is on call, and which overrides made it differ from the schedule.</summary>
[GenerateSerializer, Alias("escalation.rotation-on-call-users")]
public sealed record OnCallUsers(
    [property: Id(0)] IReadOnlyList<string> UserIds,
    [property: Id(1)] IReadOnlyList<string> OverrideIds);
