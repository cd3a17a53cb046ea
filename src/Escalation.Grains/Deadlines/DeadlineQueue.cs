namespace Escalation.Deadlines;

/// <summary>
/// The deadlines one service instance holds in memory: at most one per grain, the one of the highest row version it
/// has heard of (a load and a writer's notice can cross; the newer word wins). A priority queue ordered by instant,
/// with stale entries skipped as they surface. Not thread-safe: the service holds its lock around it.
/// </summary>
public sealed class DeadlineQueue
{
    private readonly Dictionary<GrainId, (DateTimeOffset At, long Version)> _current = [];
    private readonly Dictionary<GrainId, long> _versions = [];
    private readonly PriorityQueue<(GrainId Grain, DateTimeOffset At), DateTimeOffset> _queue = new();

    public int Count => _current.Count;

    /// <summary>
    /// Takes a deadline in: the grain's entry is replaced if <paramref name="version"/> is at least the one known,
    /// removed when <paramref name="at"/> is null or beyond <paramref name="horizon"/> (the next load brings it back).
    /// </summary>
    public bool Set(GrainId grain, DateTimeOffset? at, long version, DateTimeOffset horizon)
    {
        if (_versions.TryGetValue(grain, out var known) && version < known) return false;
        _versions[grain] = version;
        if (at is not { } due || due >= horizon)
        {
            _current.Remove(grain);
            if (at is null) _versions.Remove(grain);
            return true;
        }
        _current[grain] = (due, version);
        _queue.Enqueue((grain, due), due);
        return true;
    }

    /// <summary>Removes the deadlines of every grain <paramref name="remove"/> picks (a range that moved to another silo).</summary>
    public void RemoveWhere(Func<GrainId, bool> remove)
    {
        foreach (var grain in _current.Keys.Where(remove).ToList()) _current.Remove(grain);
        foreach (var grain in _versions.Keys.Where(remove).ToList()) _versions.Remove(grain);
    }

    /// <summary>Forgets the versions of grains it holds no deadline for, so that what it remembers stays bounded.</summary>
    public void Prune()
    {
        foreach (var grain in _versions.Keys.Where(g => !_current.ContainsKey(g)).ToList()) _versions.Remove(grain);
    }

    /// <summary>The earliest deadline held, if any.</summary>
    public DateTimeOffset? Next
    {
        get
        {
            SkipStale();
            return _queue.TryPeek(out _, out var at) ? at : null;
        }
    }

    /// <summary>Takes out every deadline due at <paramref name="now"/>; each is held no more until it is set again.</summary>
    public List<(GrainId Grain, long Version, DateTimeOffset At)> TakeDue(DateTimeOffset now)
    {
        var due = new List<(GrainId, long, DateTimeOffset)>();
        while (true)
        {
            SkipStale();
            if (!_queue.TryPeek(out var entry, out var at) || at > now) return due;
            _queue.Dequeue();
            due.Add((entry.Grain, _current[entry.Grain].Version, at));
            _current.Remove(entry.Grain);
        }
    }

    private void SkipStale()
    {
        while (_queue.TryPeek(out var entry, out var at) &&
               (!_current.TryGetValue(entry.Grain, out var current) || current.At != at))
            _queue.Dequeue();
    }
}
