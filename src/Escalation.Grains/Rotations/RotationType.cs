namespace Escalation.Rotations;

/// <summary>The unit a rotation's shift length is counted in.</summary>
[GenerateSerializer, Alias("escalation.rotation-type")]
public enum RotationType
{
    Hourly,
    Daily,
    Weekly,
}
