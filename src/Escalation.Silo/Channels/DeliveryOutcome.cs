namespace Escalation.Silo.Channels;

/// <summary>What one attempt to hand a notification to a provider came to.</summary>
public abstract record DeliveryOutcome
{
    /// <summary>The provider accepted it. The id is the provider's own (a Twilio SID, a Slack "channel/ts", a SendGrid message id).</summary>
    public sealed record Delivered(string? ProviderMessageId) : DeliveryOutcome;

    /// <summary>Worth another attempt: a timeout, a 5xx, a 429. <paramref name="RetryAfter"/> is the provider's own hint, when it gave one.</summary>
    public sealed record Transient(string Error, TimeSpan? RetryAfter = null) : DeliveryOutcome
    {
        /// <summary>
        /// The provider refused the service itself (bad credentials, a wrong account): an operator must fix it, and
        /// meanwhile the page is retried like any transient failure, never given up as the recipient's fault.
        /// </summary>
        public bool Refused { get; init; }

        public static Transient RefusedBy(string error) => new(error) { Refused = true };
    }

    /// <summary>Another attempt would fail the same way, for this recipient: an invalid number, an unknown channel, STOP.</summary>
    public sealed record Permanent(string Error) : DeliveryOutcome;

    /// <summary>Not tried: the channel holds it back (an SMS waiting for its number's next slot). Not an attempt.</summary>
    public sealed record Deferred(TimeSpan Wait) : DeliveryOutcome;
}
