namespace Escalation.Notifications;

/// <summary>
/// When each pending outbox entry of one grain activation was last handed to the bus, so that an entry not
/// reported on within <c>redriveAfter</c> is handed over again. Kept in memory only: after a crash the new
/// activation hands every pending entry over at once.
/// </summary>
public sealed class OutboxHandover(TimeSpan redriveAfter)
{
    private readonly Dictionary<string, DateTimeOffset> _handedAt = [];

    /// <summary>Whether to hand the entry over now (and notes that it was): always, or only once it has gone stale.</summary>
    public bool TakeForSending(string id, DateTimeOffset now, bool onlyStale)
    {
        if (onlyStale && _handedAt.TryGetValue(id, out var at) && at > now - redriveAfter) return false;
        _handedAt[id] = now;
        return true;
    }

    public void Settled(string id) => _handedAt.Remove(id);

    /// <summary>When the oldest pending entry is due to be handed over again; null when nothing is pending.</summary>
    public DateTimeOffset? NextRedrive(bool hasPending, DateTimeOffset now) =>
        hasPending ? (_handedAt.Count > 0 ? _handedAt.Values.Min() : now) + redriveAfter : null;
}
