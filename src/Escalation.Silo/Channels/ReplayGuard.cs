namespace Escalation.Silo.Channels;

/// <summary>
/// Remembers keys (typically request signatures) for a while, so that a request captured and sent again inside the
/// provider's freshness window is recognised as a replay. Memory stays bounded: expired keys are dropped on every
/// insert, and past the capacity the oldest keys are forgotten first.
/// </summary>
public sealed class ReplayGuard
{
    private readonly TimeProvider _clock;
    private readonly TimeSpan _window;
    private readonly int _capacity;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset ExpiresAt)> _oldestFirst = new();
    private readonly Lock _gate = new();

    public ReplayGuard(TimeProvider clock, TimeSpan window, int capacity = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _clock = clock;
        _window = window;
        _capacity = capacity;
    }

    /// <summary>True the first time <paramref name="key"/> is seen within the window; false for a replay.</summary>
    public bool FirstSeen(string key)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            while (_oldestFirst.TryPeek(out var oldest) && oldest.ExpiresAt <= now)
                _seen.Remove(_oldestFirst.Dequeue().Key);

            if (_seen.Contains(key))
                return false;

            while (_oldestFirst.Count >= _capacity)
                _seen.Remove(_oldestFirst.Dequeue().Key);

            _seen.Add(key);
            _oldestFirst.Enqueue((key, now + _window));
            return true;
        }
    }
}
