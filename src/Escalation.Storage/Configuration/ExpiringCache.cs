using System.Collections.Concurrent;

namespace Escalation.Storage.Configuration;

/// <summary>
/// Remembers found values for a short time. Misses are never remembered, so something created on another silo
/// is seen at once; a change made on another silo is seen within the time to live.
/// </summary>
public sealed class ExpiringCache(TimeProvider clock, TimeSpan timeToLive)
{
    private readonly ConcurrentDictionary<string, (object Value, DateTimeOffset Expires)> _entries = new();

    public async Task<T?> GetOrLoad<T>(string key, Func<Task<T?>> load) where T : class
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > now) return (T)entry.Value;
        var value = await load();
        if (value is not null) _entries[key] = (value, now + timeToLive);
        else _entries.TryRemove(key, out _);
        return value;
    }

    public void Clear() => _entries.Clear();
}
