using Escalation.Deadlines;
using Escalation.Incidents;
using Escalation.Storage;
using Escalation.Storage.Incidents;
using Escalation.Storage.Schema;
using Escalation.Testing;
using Npgsql;

namespace Escalation.Tests.Storage;

/// <summary>
/// The incident store's group commit: writes of many incidents share one transaction, so a row the database refuses
/// fails its whole batch, writes none of it and schedules none of its deadlines; a stale write only loses itself.
/// </summary>
public sealed class IncidentStoreBatchTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private NpgsqlDataSource _db = null!;
    private readonly RecordingScheduler _deadlines = new();
    private IncidentStore _store = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await TestPostgres.CreateDatabase();
        await SchemaMigrator.Apply(connectionString);
        _db = NpgsqlDataSource.Create(connectionString);
        _store = new IncidentStore(_db, _deadlines, new StorageOptions());
        // 'slow' holds the first batch open, so that everything written meanwhile shares the next one; 'poison' is refused.
        await using var cmd = _db.CreateCommand("""
            CREATE FUNCTION test_incident_write() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                IF NEW.id = 'slow' THEN PERFORM pg_sleep(0.5); END IF;
                IF NEW.id = 'poison' THEN RAISE EXCEPTION 'the database refused this row'; END IF;
                RETURN NEW;
            END $f$;
            CREATE TRIGGER test_incident_write BEFORE INSERT OR UPDATE ON incidents FOR EACH ROW EXECUTE FUNCTION test_incident_write();
            """);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_refused_row_fails_every_write_of_its_batch_and_none_of_them_is_written()
    {
        var slow = await Alone(New("slow"));
        var batch = Enumerable.Range(0, 20).Select(i => i == 10 ? "poison" : $"inc-{i}").Select(id => _store.Write(New(id))).ToList();
        await Task.WhenAll(batch.Append(slow).Select(w => w.ContinueWith(_ => { })));

        Assert.Equal(IncidentWriteOutcome.Written, await slow);
        Assert.All(batch, w => Assert.True(w.IsFaulted));
        Assert.Equal(["slow"], await StoredIds());
        Assert.Equal(["slow"], _deadlines.All.Select(d => d.Grain.Key.ToString()));
        Assert.Equal(2, _store.Batches.Batches);
        Assert.Equal(21, _store.Batches.Items);

        // Each caller may write again: without the refused row, the same writes all land.
        var again = await Task.WhenAll(Enumerable.Range(0, 20).Where(i => i != 10).Select(i => _store.Write(New($"inc-{i}"))));
        Assert.All(again, outcome => Assert.Equal(IncidentWriteOutcome.Written, outcome));
        Assert.Equal(20, (await StoredIds()).Count);
    }

    [Fact]
    public async Task A_stale_write_loses_only_itself_and_a_second_open_of_one_dedup_key_is_a_duplicate()
    {
        Assert.Equal(IncidentWriteOutcome.Written, await _store.Write(New("a")));
        Assert.Equal(IncidentWriteOutcome.Written, await _store.Write(New("b")));
        var slow = await Alone(New("slow"));
        var current = _store.Write(Changed("a", from: 1));
        var stale = _store.Write(Changed("b", from: 7));
        var duplicate = _store.Write(New("c", dedupKey: "a"));
        var fresh = _store.Write(New("d"));

        Assert.Equal(IncidentWriteOutcome.Written, await slow);
        Assert.Equal(IncidentWriteOutcome.Written, await current);
        Assert.Equal(IncidentWriteOutcome.Stale, await stale);
        Assert.Equal(IncidentWriteOutcome.DuplicateOpen, await duplicate);
        Assert.Equal(IncidentWriteOutcome.Written, await fresh);
        Assert.Equal(2, (await _store.Load("a"))!.State.Version);
        Assert.Equal(1, (await _store.Load("b"))!.State.Version);
        Assert.Null(await _store.Load("c"));
        Assert.DoesNotContain(_deadlines.All, d => d.Grain.Key.ToString() is "b" && d.Version == 8);
    }

    [Fact]
    public async Task Concurrent_loads_share_queries_and_each_gets_its_own_state()
    {
        foreach (var id in new[] { "a", "b" }) await _store.Write(New(id));

        var loads = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() => _store.Load(i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "missing"))));

        Assert.All(loads.Where((_, i) => i % 3 == 0), l => Assert.Equal("a", l!.State.Id));
        Assert.All(loads.Where((_, i) => i % 3 == 1), l => Assert.Equal("b", l!.State.Id));
        Assert.All(loads.Where((_, i) => i % 3 == 2), Assert.Null);
        Assert.Equal(T0.AddMinutes(15), loads[0]!.NextDeadline);
        Assert.NotSame(loads[0]!.State, loads[3]!.State);
        Assert.Equal(60, _store.Reads.Items);
        Assert.True(_store.Reads.Batches < 60, $"{_store.Reads.Batches} queries for 60 concurrent loads");
    }

    /// <summary>Starts a write and returns once its batch, holding it alone, is committing.</summary>
    private async Task<Task<IncidentWriteOutcome>> Alone(IncidentWrite write)
    {
        var before = _store.Batches.Batches;
        var written = _store.Write(write);
        await Eventually.Get(() => Task.FromResult(_store.Batches.Batches), n => n > before, "the write's batch taken");
        return written;
    }

    private static IncidentWrite New(string id, string? dedupKey = null) => Write(id, dedupKey ?? id, version: 1, expected: 0);

    private static IncidentWrite Changed(string id, long from) => Write(id, id, version: from + 1, expected: from);

    private static IncidentWrite Write(string id, string dedupKey, long version, long expected)
    {
        var state = new IncidentState
        {
            Id = id,
            ServiceId = "api",
            DedupKey = dedupKey,
            Title = $"{id} is failing",
            Severity = Severity.Critical,
            Status = IncidentStatus.Triggered,
            CreatedAt = T0,
            LastSeenAt = T0,
            AlertCount = 1,
            Version = version,
        };
        return new IncidentWrite(IncidentStore.GrainOf(id), state, expected, T0, T0.AddMinutes(15), null);
    }

    private async Task<List<string>> StoredIds()
    {
        await using var cmd = _db.CreateCommand("SELECT id FROM incidents ORDER BY id");
        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }

    private sealed class RecordingScheduler : IDeadlineScheduler
    {
        private readonly List<ScheduledDeadline> _scheduled = [];

        public IReadOnlyList<ScheduledDeadline> All
        {
            get { lock (_scheduled) return [.. _scheduled]; }
        }

        public void Scheduled(IReadOnlyList<ScheduledDeadline> deadlines)
        {
            lock (_scheduled) _scheduled.AddRange(deadlines);
        }
    }
}
