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
    /// <summary>Every deadline before <paramref name="before"/> (overdue ones too) of the grains in <paramref name="range"/>.</summary>
    public async Task<IReadOnlyList<ScheduledDeadline>> DueBefore(IRingRange range, DateTimeOffset before, CancellationToken cancellation)
    {
        var found = new List<ScheduledDeadline>();
        foreach (var single in RangeFactory.GetSubRanges(range))
        {
            // Begin is exclusive, End inclusive; a range that wraps past zero (or the whole ring, Begin == End) is two pieces.
            var inRange = single.Begin < single.End ? "ring_hash > $2 AND ring_hash <= $3" : "(ring_hash > $2 OR ring_hash <= $3)";
            await using var cmd = db.CreateCommand($"""
                SELECT NULL, id, next_deadline_at, version FROM incidents WHERE next_deadline_at < $1 AND {inRange}
                UNION ALL
                SELECT grain_id, NULL, next_deadline_at, version FROM grain_states WHERE next_deadline_at < $1 AND {inRange}
                """);
            cmd.Parameters.AddWithValue(before.UtcDateTime);
            cmd.Parameters.AddWithValue((long)single.Begin);
            cmd.Parameters.AddWithValue((long)single.End);
            await using var reader = await cmd.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                var grain = reader.IsDBNull(0) ? IncidentStore.GrainOf(reader.GetString(1)) : GrainId.Parse(reader.GetString(0));
                found.Add(new ScheduledDeadline(grain, reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt64(3)));
            }
        }
        return found;
    }
}
