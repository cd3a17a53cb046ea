namespace Escalation.Rotations;

/// <summary>A change to who is on call during [Start, End). ReplacesUserId is set for <see cref="OverrideType.Replace"/> only.</summary>
[GenerateSerializer, Alias("escalation.rotation-override")]
public sealed record RotationOverride(
    [property: Id(0)] string Id,
    [property: Id(1)] OverrideType Type,
    [property: Id(2)] string UserId,
    [property: Id(3)] string? ReplacesUserId,
    [property: Id(4)] DateTimeOffset Start,
    [property: Id(5)] DateTimeOffset End,
    [property: Id(6)] string? Reason);
