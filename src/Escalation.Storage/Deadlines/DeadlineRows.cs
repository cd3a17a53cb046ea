using Escalation.Deadlines;
using Escalation.Storage.GrainStates;
using Escalation.Storage.Incidents;
using Npgsql;

namespace Escalation.Storage.Deadlines;

/// <summary>
/// Reads the deadlines kept as data: <c>next_deadline_at</c> of <c>incidents</c> and of <c>grain_states</c> (rotations,
/// maintenance windows), each row placed on the consistent ring by <c>ring_hash</c>, the uniform hash of its grain id.
/// </summary>
public sealed class DeadlineRows(NpgsqlDataSource db)
{
    /// <summary>
    /// Every deadline before <paramref name="before"/> (overdue ones too) of the grains in <paramref name="range"/>, in one
    /// query however many pieces the range has (a silo owns many: the ring has virtual buckets).
    /// </summary>
    public async Task<IReadOnlyList<ScheduledDeadline>> DueBefore(IRingRange range, DateTimeOffset before, CancellationToken cancellation)
    {
        var pieces = RangeFactory.GetSubRanges(range).ToList();
        // Begin is exclusive, End inclusive; a piece that wraps past zero (or the whole ring, Begin == End) is two.
        const string inRange = """
            EXISTS (SELECT 1 FROM unnest($2::bigint[], $3::bigint[]) AS p(b, e)
                    WHERE CASE WHEN p.b < p.e THEN ring_hash > p.b AND ring_hash <= p.e ELSE ring_hash > p.b OR ring_hash <= p.e END)
            """;
        await using var cmd = db.CreateCommand($"""
            SELECT NULL, id, next_deadline_at, version FROM incidents WHERE next_deadline_at < $1 AND {inRange}
            UNION ALL
            SELECT grain_id, NULL, next_deadline_at, version FROM grain_states WHERE next_deadline_at < $1 AND {inRange}
            """);
        cmd.Parameters.AddWithValue(before.UtcDateTime);
        cmd.Parameters.AddWithValue(pieces.Select(p => (long)p.Begin).ToArray());
        cmd.Parameters.AddWithValue(pieces.Select(p => (long)p.End).ToArray());
        var found = new List<ScheduledDeadline>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            var grain = reader.IsDBNull(0) ? IncidentStore.GrainOf(reader.GetString(1)) : GrainId.Parse(reader.GetString(0));
            found.Add(new ScheduledDeadline(grain, reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt64(3)));
        }
        return found;
    }
}
