namespace Escalation.Silo.Notifications;

/// <summary>How hard a channel tries: by default 5 attempts within about two minutes.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Escalation:Delivery";

    public int MaxAttempts { get; set; } = 5;

    private static readonly TimeSpan[] DefaultDelays = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40)];

    /// <summary>
    /// The wait after each failed attempt; the last entry repeats. Null means the defaults (5, 10, 20, 40 s: 75 s of
    /// waiting, so five attempts that each time out after 10 s still end within about two minutes): the
    /// configuration binder appends to an array it finds filled, so the defaults cannot live in it.
    /// </summary>
    public TimeSpan[]? RetryDelays { get; set; }

    /// <summary>A provider's Retry-After is honoured up to this.</summary>
    public TimeSpan LongestRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one attempt may hold its claim: longer than a provider call's timeout.</summary>
    public TimeSpan AttemptLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The size of the delivery side's own connection pool (<see cref="Storage.DeliveryDatabase"/>), apart from the
    /// one ingest, authentication and the grains use.
    /// </summary>
    public int MaxDatabaseConnections { get; set; } = 20;

    /// <summary>The timeout of one provider HTTP call.</summary>
    public TimeSpan ProviderTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan DelayAfter(int attempt, TimeSpan? retryAfter)
    {
        var delays = RetryDelays is { Length: > 0 } configured ? configured : DefaultDelays;
        var planned = delays[Math.Min(attempt - 1, delays.Length - 1)];
        return retryAfter is { } hint && hint > planned ? (hint < LongestRetryAfter ? hint : LongestRetryAfter) : planned;
    }
}
