namespace Escalation.Configuration;

[GenerateSerializer, Alias("escalation.policy")]
public sealed record EscalationPolicy(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] int Repeat,
    [property: Id(3)] IReadOnlyList<EscalationLevel> Levels);

[GenerateSerializer, Alias("escalation.policy-level")]
public sealed record EscalationLevel(
    [property: Id(0)] TimeSpan EscalateAfter,
    [property: Id(1)] IReadOnlyList<EscalationTarget> Targets);

[GenerateSerializer, Alias("escalation.policy-target")]
public sealed record EscalationTarget(
    [property: Id(0)] TargetType Type,
    [property: Id(1)] string Id);

[GenerateSerializer, Alias("escalation.target-type")]
public enum TargetType
{
    User,
    Team,

    /// <summary>Whoever is on call in the rotation, overrides applied, when the level starts.</summary>
    Rotation,
}
