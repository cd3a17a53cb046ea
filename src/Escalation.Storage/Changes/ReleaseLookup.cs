using System.Collections.Concurrent;
using Escalation.Releases;
using Npgsql;

namespace Escalation.Storage.Changes;

/// <summary>
/// The production releases among the change events (<c>custom_details.environment = production</c>). Every new
/// incident asks for its service's, so the latest release per service is remembered for a few seconds: a release
/// recorded on this silo is seen at once, one recorded on another within <see cref="TimeToLive"/>.
/// </summary>
public sealed class ReleaseLookup(NpgsqlDataSource db, TimeProvider clock) : IReleaseLookup
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (ReleaseLink? Latest, DateTimeOffset Expires)> _latest = new();

    public async Task<ReleaseLink?> WatchedAt(string serviceId, DateTimeOffset at)
    {
        var now = clock.GetUtcNow();
        if (!_latest.TryGetValue(serviceId, out var cached) || cached.Expires <= now)
        {
            cached = (await Latest(serviceId, now), now + TimeToLive);
            _latest[serviceId] = cached;
        }
        return cached.Latest is { } release && release.At <= at && at - release.At <= ReleaseWatch.Length ? release : null;
    }

    /// <summary>A release was just recorded here: the next lookup reads it.</summary>
    public void Forget(string serviceId) => _latest.TryRemove(serviceId, out _);

    public async Task<int> IncidentsSince(string serviceId, DateTimeOffset since)
    {
        await using var cmd = db.CreateCommand("SELECT count(*) FROM incidents WHERE service_id = $1 AND created_at >= $2");
        cmd.Parameters.AddWithValue(serviceId);
        cmd.Parameters.AddWithValue(since);
        return (int)(long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>The latest production release up to now: one dated in the future does not hide the one being watched.</summary>
    private async Task<ReleaseLink?> Latest(string serviceId, DateTimeOffset now)
    {
        await using var cmd = db.CreateCommand("""
            SELECT id, summary, at FROM change_events
            WHERE service_id = $1 AND lower(custom_details->>'environment') = $2 AND at <= $3
            ORDER BY at DESC LIMIT 1
            """);
        cmd.Parameters.AddWithValue(serviceId);
        cmd.Parameters.AddWithValue(ReleaseWatch.ProductionEnvironment);
        cmd.Parameters.AddWithValue(now);
        await using var r = await cmd.ExecuteReaderAsync();
        return await r.ReadAsync() ? new ReleaseLink(r.GetGuid(0).ToString(), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2)) : null;
    }
}
