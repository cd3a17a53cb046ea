using System.Diagnostics;
using Npgsql;

namespace Escalation.Bench.Scale;

/// <summary>
/// The service's embedded PostgreSQL, read by the scale modes. Only the read model (<c>incidents</c>) and the delivery
/// ledger (<c>notification_deliveries</c>) are read, never Orleans' own tables.
/// </summary>
public sealed class ScaleDatabase(string dataDirectory) : IAsyncDisposable
{
    /// <summary>
    /// The escalation level of a ledger row, from its notification id <c>{incident}/{cycle}.{level}.{loop}/{user}/{channel}</c>;
    /// null for a row that is not a page (a channel post).
    /// </summary>
    public const string LevelOf = """
        (CASE WHEN split_part(substr(d.notification_id, length(d.incident_id) + 2), '/', 1) ~ '^[0-9]+\.[0-9]+\.[0-9]+$'
              THEN split_part(split_part(substr(d.notification_id, length(d.incident_id) + 2), '/', 1), '.', 2)::int END)
        """;

    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(
        BenchOptions.EmbeddedConnectionString(dataDirectory))
    {
        ApplicationName = "escalation-bench",
        MaxPoolSize = 4,
        CommandTimeout = 300,
    }.ConnectionString);

    public NpgsqlDataSource Source => _db;

    public async Task<(long Incidents, long Alerts)> IncidentsOf(string serviceId)
    {
        await using var cmd = _db.CreateCommand("SELECT count(*), coalesce(sum(alert_count), 0) FROM incidents WHERE service_id = $1");
        cmd.Parameters.AddWithValue(serviceId);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.GetInt64(0), r.GetInt64(1));
    }

    /// <summary>How many of the service's incidents have a sent page at <paramref name="level"/> (one-based).</summary>
    public async Task<long> PagedAt(string serviceId, int level)
    {
        await using var cmd = _db.CreateCommand($"""
            SELECT count(DISTINCT d.incident_id) FROM notification_deliveries d JOIN incidents i ON i.id = d.incident_id
            WHERE i.service_id = $1 AND d.sent_at IS NOT NULL AND {LevelOf} = $2
            """);
        cmd.Parameters.AddWithValue(serviceId);
        cmd.Parameters.AddWithValue(level);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Transactions committed in this database so far; a backend may hold its counts back up to 10 s (PGSTAT_IDLE_INTERVAL).</summary>
    public async Task<long> Commits()
    {
        await using var cmd = _db.CreateCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Statements run so far, from pg_stat_statements; null when the extension is not installed (the embedded default).</summary>
    public async Task<long?> Statements()
    {
        await using var check = _db.CreateCommand("SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'");
        if (await check.ExecuteScalarAsync() is null) return null;
        try
        {
            await using var cmd = _db.CreateCommand("SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())");
            return (long)(await cmd.ExecuteScalarAsync())!;
        }
        catch (PostgresException)
        {
            return null; // installed but not preloaded
        }
    }

    public async Task<string> ServerVersion()
    {
        await using var cmd = _db.CreateCommand("SHOW server_version");
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Polls <paramref name="count"/> every second until it reaches <paramref name="target"/>, stops growing for
    /// <paramref name="stall"/>, or <paramref name="limit"/> passes; returns the last count.
    /// </summary>
    public static async Task<long> WaitFor(Func<Task<long>> count, long target, TimeSpan stall, TimeSpan limit, Action<long>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var (last, lastChange, lastSaid) = (-1L, TimeSpan.Zero, TimeSpan.Zero);
        while (true)
        {
            var now = await count();
            if (now != last) (last, lastChange) = (now, clock.Elapsed);
            if (clock.Elapsed - lastSaid >= TimeSpan.FromSeconds(10))
            {
                progress?.Invoke(now);
                lastSaid = clock.Elapsed;
            }
            if (now >= target || clock.Elapsed - lastChange >= stall || clock.Elapsed >= limit) return now;
            await Task.Delay(1000);
        }
    }

    public ValueTask DisposeAsync() => _db.DisposeAsync();
}
