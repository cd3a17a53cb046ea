namespace Escalation.Api.Auth;

/// <summary>How failed authentications are remembered and held back (<see cref="FailedAuthentications"/>).</summary>
public sealed class FailedAuthenticationOptions
{
    public const string Section = "Escalation:Auth";

    /// <summary>How long an unknown credential is answered from memory. A routing key given to a new service on another silo waits this long there.</summary>
    public TimeSpan RememberFailuresFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many unknown credentials are remembered at once.</summary>
    public int RememberedFailures { get; set; } = 10_000;

    /// <summary>Unknown credentials one client address may try in a minute before it is answered 429.</summary>
    public int FailuresPerMinute { get; set; } = 20;
}
