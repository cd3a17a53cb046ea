using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Escalation.Bench;

public sealed record RawInsertRun(int Rows, int Errors, TimeSpan Elapsed, Percentiles LatencyMs)
{
    public double Rate => Rows / Elapsed.TotalSeconds;
}

public sealed record PageLatency(int Found, Percentiles TriggerToPageMs, TimeSpan Waited);

/// <summary>Database-wide counters, to see how much work one event costs PostgreSQL.</summary>
/// <summary>Mean rows per transaction: incident rows (the incident store's group commit), ledger rows (the settles').</summary>
public sealed record GroupCommitSizes(double IncidentRowsPerCommit, double LedgerRowsPerCommit);

public sealed record DbCounters(long Commits, long Inserted, long Updated, long WalBytes)
{
    public DbCounters Minus(DbCounters before) =>
        new(Commits - before.Commits, Inserted - before.Inserted, Updated - before.Updated, WalBytes - before.WalBytes);
}

/// <summary>The service's PostgreSQL: the raw-insert ceiling, and where pages are looked up after a phase.</summary>
public sealed class Database(BenchOptions options) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(options.ConnectionString)
    {
        MaxPoolSize = options.Concurrency + 4,
        ApplicationName = "escalation-bench",
    }.ConnectionString);

    /// <summary>
    /// The ceiling: N workers each INSERT one row a command (autocommit, a pooled connection opened per command, as
    /// the service does) as fast as they can. The table is emptied first so that runs stay comparable.
    /// </summary>
    public async Task<RawInsertRun> RawInserts(TimeSpan duration)
    {
        await using (var create = _db.CreateCommand("""
            CREATE TABLE IF NOT EXISTS bench_raw_insert (id bigserial PRIMARY KEY, k text, payload jsonb, at timestamptz);
            TRUNCATE bench_raw_insert;
            """))
            await create.ExecuteNonQueryAsync();

        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Concurrency).Select(async w =>
        {
            await Task.Yield();
            for (var i = 0; clock.Elapsed < duration; i++)
            {
                var key = $"raw-{w}-{i}";
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await using var cmd = _db.CreateCommand("INSERT INTO bench_raw_insert (k, payload, at) VALUES ($1, $2, $3)");
                    cmd.Parameters.AddWithValue(key);
                    cmd.Parameters.Add(new NpgsqlParameter
                    {
                        NpgsqlDbType = NpgsqlDbType.Jsonb,
                        Value = $$"""{"summary":"Benchmark row {{key}}","source":"escalation-bench","severity":"critical"}""",
                    });
                    cmd.Parameters.AddWithValue(DateTime.UtcNow);
                    await cmd.ExecuteNonQueryAsync();
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                catch (NpgsqlException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        });
        await Task.WhenAll(workers);
        return new RawInsertRun(latencies.Count, errors, clock.Elapsed, Percentiles.Of(latencies));
    }

    /// <summary>
    /// Waits until every accepted trigger has a sent page, or the count stops growing for <paramref name="settle"/>,
    /// or <paramref name="limit"/> passes; then joins incidents (dedup_key → id) with notification_deliveries
    /// (incident_id → first sent_at) and measures first sent_at − client send time.
    /// </summary>
    public async Task<PageLatency> TriggerToPage(IReadOnlyList<Accepted> accepted, TimeSpan settle, TimeSpan limit)
    {
        var keys = accepted.Select(a => a.DedupKey).ToArray();
        var sentAt = accepted.Select(a => a.SentAtUtc).ToArray();
        var clock = Stopwatch.StartNew();
        var (found, lastChange) = (-1L, TimeSpan.Zero);
        while (true)
        {
            await using var count = Join("SELECT count(DISTINCT s.k)", keys, sentAt, groupBy: "");
            var now = (long)(await count.ExecuteScalarAsync())!;
            if (now != found) (found, lastChange) = (now, clock.Elapsed);
            if (found >= keys.Length || clock.Elapsed - lastChange >= settle || clock.Elapsed >= limit) break;
            await Task.Delay(500);
        }
        var waited = clock.Elapsed;

        await using var cmd = Join("SELECT (extract(epoch FROM min(d.sent_at) - s.at) * 1000)::float8", keys, sentAt, groupBy: "GROUP BY s.k, s.at");
        var samples = new List<double>(keys.Length);
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) samples.Add(reader.GetDouble(0));
        return new PageLatency(samples.Count, Percentiles.Of(samples), waited);
    }

    private NpgsqlCommand Join(string select, string[] keys, DateTime[] sentAt, string groupBy)
    {
        var cmd = _db.CreateCommand($"""
            {select}
            FROM unnest($1::text[], $2::timestamptz[]) AS s(k, at)
            JOIN incidents i ON i.dedup_key = s.k
            JOIN notification_deliveries d ON d.incident_id = i.id AND d.sent_at IS NOT NULL
            {groupBy}
            """);
        cmd.Parameters.AddWithValue(keys);
        cmd.Parameters.AddWithValue(sentAt);
        return cmd;
    }

    /// <summary>
    /// How the group commits batched the rows of the given incidents and of their pages, read back from the rows'
    /// <c>xmin</c> (the transaction that last wrote each): rows per distinct transaction. A row written again later
    /// counts under its later transaction, so each figure is a lower bound of its writer's mean batch size. Taken right
    /// after the pages are sent: an incident's row is written by the trigger's batch, a page's ledger row last by its
    /// settle's.
    /// </summary>
    public async Task<GroupCommitSizes> Batching(IReadOnlyList<Accepted> accepted)
    {
        await using var cmd = _db.CreateCommand("""
            WITH i AS (SELECT i.id, i.xmin::text AS tx FROM unnest($1::text[]) AS s(k) JOIN incidents i ON i.dedup_key = s.k),
            d AS (SELECT d.xmin::text AS tx FROM notification_deliveries d JOIN i ON d.incident_id = i.id)
            SELECT (SELECT count(*) FROM i), (SELECT count(DISTINCT tx) FROM i), (SELECT count(*) FROM d), (SELECT count(DISTINCT tx) FROM d)
            """);
        cmd.Parameters.AddWithValue(accepted.Select(a => a.DedupKey).ToArray());
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        static double Mean(long rows, long transactions) => transactions == 0 ? 0 : rows / (double)transactions;
        return new GroupCommitSizes(Mean(r.GetInt64(0), r.GetInt64(1)), Mean(r.GetInt64(2), r.GetInt64(3)));
    }

    /// <summary>
    /// Waits until the ledger has had no new or settled row for <paramref name="quiet"/> (or <paramref name="limit"/>
    /// passes): the clean-up's resolves send Slack updates for a minute or two after the last 202, which would
    /// otherwise load the next run. Returns how long it waited.
    /// </summary>
    public async Task<TimeSpan> WaitForQuietLedger(TimeSpan quiet, TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var cmd = _db.CreateCommand("""
            SELECT coalesce(extract(epoch FROM now() - greatest(max(claimed_at), max(updated_at))), 1e9)::float8
            FROM notification_deliveries WHERE claimed_at > now() - interval '1 hour' OR updated_at > now() - interval '1 hour'
            """);
        while (clock.Elapsed < limit && (double)(await cmd.ExecuteScalarAsync())! < quiet.TotalSeconds)
            await Task.Delay(TimeSpan.FromSeconds(1));
        return clock.Elapsed;
    }

    /// <summary>Commits, rows written and WAL of the whole database (the service's background work included).</summary>
    public async Task<DbCounters> Counters()
    {
        // An idle backend may hold its counters back for up to 10 s (PGSTAT_IDLE_INTERVAL) before reporting them.
        await Task.Delay(TimeSpan.FromSeconds(11));
        await using var cmd = _db.CreateCommand("""
            SELECT xact_commit, tup_inserted, tup_updated, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint
            FROM pg_stat_database WHERE datname = current_database()
            """);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return new DbCounters(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3));
    }

    public async Task<string> ServerVersion()
    {
        await using var cmd = _db.CreateCommand("SHOW server_version");
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    public ValueTask DisposeAsync() => _db.DisposeAsync();
}
