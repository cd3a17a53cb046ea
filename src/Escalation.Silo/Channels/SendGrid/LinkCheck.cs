namespace Escalation.Silo.Channels.SendGrid;

/// <summary>What reading an action link token found.</summary>
public enum LinkCheck
{
    Valid,

    /// <summary>Not a token at all: empty, truncated, not base64url, not our payload.</summary>
    Malformed,

    /// <summary>Well formed, but the signature is not ours for this payload.</summary>
    Forged,

    /// <summary>Genuine, but past its expiry.</summary>
    Expired,
}
