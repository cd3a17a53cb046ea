namespace Escalation.Silo.Channels;

/// <summary>What checking a provider's request signature came to. Only <see cref="Valid"/> may be acted on.</summary>
public enum SignatureCheck
{
    Valid,

    /// <summary>The signature or timestamp header was absent (or the secret to check it with is).</summary>
    Missing,

    /// <summary>Signed, but too far from now: a replay or a badly skewed clock.</summary>
    Stale,

    /// <summary>The signature does not match the body.</summary>
    Forged,
}
