namespace Escalation.Escalations;

/// <summary>Where an incident stands in its policy. Level is zero-based here; the API shows it one-based.</summary>
[GenerateSerializer, Alias("escalation.position")]
public readonly record struct EscalationPosition(
    [property: Id(0)] int Level,
    [property: Id(1)] int Loop)
{
    public static EscalationPosition Start => new(0, 0);
}
