namespace Escalation.Rotations;

[GenerateSerializer, Alias("escalation.rotation-outcome")]
public enum RotationOutcome
{
    Done,
    NotFound,
    Conflict,
    Forbidden,
    Invalid,
}

/// <summary>The answer to a change asked of a rotation: the override or swap request it made or changed, or why not.</summary>
[GenerateSerializer, Alias("escalation.rotation-change")]
public sealed record RotationChange(
    [property: Id(0)] RotationOutcome Outcome,
    [property: Id(1)] string? Message,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] RotationOverride? Override = null,
    [property: Id(4)] SwapRequest? Swap = null)
{
    public static RotationChange Done(RotationOverride? @override = null, SwapRequest? swap = null) => new(RotationOutcome.Done, null, null, @override, swap);
    public static RotationChange NotFound(string message) => new(RotationOutcome.NotFound, message);
    public static RotationChange Conflict(string message) => new(RotationOutcome.Conflict, message);
    public static RotationChange Forbidden(string message) => new(RotationOutcome.Forbidden, message);
    public static RotationChange Invalid(string field, string message) => new(RotationOutcome.Invalid, message, field);
}
