using System.Text.Json;
using Escalation.Deadlines;
using Escalation.Incidents;
using Escalation.Json;
using Escalation.Routing;
using Escalation.Storage.Writes;
using Npgsql;

namespace Escalation.Storage.Incidents;

/// <summary>
/// Owner of <c>incidents</c> (and of writes to <c>incident_archive</c>). Writes from every incident grain of the silo
/// are group-committed: a batch is one implicit transaction of three statements (new rows, updated rows guarded by
/// their version, archive rows), sent in one round trip. Its deadlines are then handed to the deadline service.
/// </summary>
public sealed class IncidentStore : IIncidentStore
{
    /// <summary>The grain type of incidents, which places their deadlines on the ring.</summary>
    public static readonly GrainType GrainType = GrainType.Create("incident");

    private readonly NpgsqlDataSource _db;
    private readonly IDeadlineScheduler _deadlines;
    private readonly GroupCommit<IncidentWrite, IncidentWriteOutcome> _writer;
    private readonly GroupCommit<string, StoredRow?> _reader;

    public IncidentStore(NpgsqlDataSource db, IDeadlineScheduler deadlines, StorageOptions options)
    {
        _db = db;
        _deadlines = deadlines;
        _writer = new(Commit, options.MaxBatch);
        _reader = new(LoadMany, options.MaxBatch);
    }

    public static GrainId GrainOf(string incidentId) => GrainId.Create(GrainType, incidentId);

    public BatchCounts Batches => BatchCounts.Of(_writer);

    /// <summary>How the activations' reads were grouped.</summary>
    public BatchCounts Reads => BatchCounts.Of(_reader);

    /// <summary>
    /// The row an activation starts from. Reads are grouped as writes are: a deadline storm activates hundreds of
    /// incidents at once, and one query for all that wait costs far less than one each.
    /// </summary>
    public async Task<StoredIncident?> Load(string incidentId)
    {
        // Read together, parsed apart: each caller's own turn parses its state (a state of its own, too).
        if (await _reader.Submit(incidentId) is not { } row) return null;
        return new StoredIncident(JsonSerializer.Deserialize<IncidentState>(row.State, EscalationJson.Options)!, row.NextDeadline);
    }

    private sealed record StoredRow(string State, DateTimeOffset? NextDeadline);

    private async Task<IReadOnlyList<StoredRow?>> LoadMany(IReadOnlyList<string> ids)
    {
        await using var cmd = _db.CreateCommand("SELECT id, state::text, next_deadline_at FROM incidents WHERE id = ANY($1) AND state IS NOT NULL");
        cmd.Parameters.AddWithValue(ids.Distinct().ToArray());
        var found = new Dictionary<string, StoredRow>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                found[reader.GetString(0)] = new StoredRow(reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2));
        }
        return ids.Select(id => found.GetValueOrDefault(id)).ToList();
    }

    public Task<IncidentWriteOutcome> Write(IncidentWrite write) => _writer.Submit(write);

    public async Task<string?> OpenFor(string serviceId, string dedupKey)
    {
        await using var cmd = _db.CreateCommand("SELECT id FROM incidents WHERE service_id = $1 AND dedup_key = $2 AND status <> 'resolved'");
        cmd.Parameters.AddWithValue(serviceId);
        cmd.Parameters.AddWithValue(dedupKey);
        return await cmd.ExecuteScalarAsync() as string;
    }

    public async Task<IReadOnlyList<string>> OpenIn(IReadOnlyCollection<string> serviceIds, int limit)
    {
        await using var cmd = _db.CreateCommand("SELECT id FROM incidents WHERE service_id = ANY($1) AND status <> 'resolved' ORDER BY created_at LIMIT $2");
        cmd.Parameters.AddWithValue(serviceIds.ToArray());
        cmd.Parameters.AddWithValue(limit);
        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }

    private async Task<IReadOnlyList<IncidentWriteOutcome>> Commit(IReadOnlyList<IncidentWrite> writes)
    {
        // Two activations of one incident (briefly, after a crash) could both be in a batch: only the first is tried.
        var tried = writes.DistinctBy(w => w.State.Id).ToList();
        var inserts = tried.Where(w => w.ExpectedVersion == 0).ToList();
        var updates = tried.Where(w => w.ExpectedVersion != 0).ToList();
        await using var connection = await _db.OpenConnectionAsync();
        // No explicit transaction: the statements of one batch run in one implicit transaction, all or nothing.
        await using var batch = new NpgsqlBatch(connection);
        if (inserts.Count > 0) batch.BatchCommands.Add(IncidentRows.Insert(inserts));
        if (updates.Count > 0) batch.BatchCommands.Add(IncidentRows.Update(updates));
        if (IncidentRows.Archive(tried) is { } archive) batch.BatchCommands.Add(archive);

        var written = new HashSet<string>();
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            do
            {
                while (await reader.ReadAsync()) written.Add(reader.GetString(0));
            } while (await reader.NextResultAsync());
        }

        var committed = new HashSet<IncidentWrite>(tried.Where(w => written.Contains(w.State.Id)), ReferenceEqualityComparer.Instance);
        var outcomes = writes.Select(w => committed.Contains(w) ? IncidentWriteOutcome.Written
            : w.ExpectedVersion == 0 ? IncidentWriteOutcome.DuplicateOpen : IncidentWriteOutcome.Stale).ToList();
        _deadlines.Scheduled(committed.Select(w => new ScheduledDeadline(w.Grain, w.NextDeadline, w.State.Version)).ToList());
        return outcomes;
    }
}
