using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Escalation.Silo.Notifications;

/// <summary>
/// Which channels' providers refuse this service itself (a revoked token, a wrong account): an operator's problem,
/// not the recipient's. Such pages keep being retried; this is what /health/ready and the metrics show meanwhile.
/// A delivery on the channel clears it.
/// </summary>
public sealed class ProviderHealth(TimeProvider clock)
{
    public static readonly Meter Meter = new("Escalation.Delivery");
    private static readonly Counter<long> RefusalCount = Meter.CreateCounter<long>(
        "escalation.provider.refusals", description: "Provider calls refused for the service's own credentials or configuration");

    private readonly ConcurrentDictionary<string, Refusal> _refused = new();

    public sealed record Refusal(string Error, DateTimeOffset Since, DateTimeOffset Last);

    public IReadOnlyDictionary<string, Refusal> Refusals => _refused;

    public void Refused(string channel, string error)
    {
        var now = clock.GetUtcNow();
        _refused.AddOrUpdate(channel, _ => new Refusal(error, now, now), (_, r) => r with { Error = error, Last = now });
        RefusalCount.Add(1, new KeyValuePair<string, object?>("channel", channel));
    }

    public void Delivered(string channel) => _refused.TryRemove(channel, out _);
}
