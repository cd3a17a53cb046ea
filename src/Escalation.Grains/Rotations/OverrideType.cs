namespace Escalation.Rotations;

[GenerateSerializer, Alias("escalation.rotation-override-type")]
public enum OverrideType
{
    /// <summary>UserId is on call instead of ReplacesUserId, only while ReplacesUserId is scheduled.</summary>
    Replace,

    /// <summary>UserId is on call alongside whoever is scheduled.</summary>
    Add,

    /// <summary>UserId is not on call.</summary>
    Remove,
}
