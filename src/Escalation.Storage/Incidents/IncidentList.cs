using Npgsql;

namespace Escalation.Storage.Incidents;

/// <summary>Lists incidents from the read model, newest first; never activates a grain.</summary>
public sealed class IncidentList(NpgsqlDataSource db)
{
    public async Task<IncidentPage> Find(IReadOnlyList<string> statuses, string? serviceId, int limit, int offset, IReadOnlyList<string>? priorities = null)
    {
        await using var cmd = db.CreateCommand("""
            SELECT id, service_id, dedup_key, title, severity, status, created_at, updated_at, alert_count, level, loop, next_escalation_at, priority, route
            FROM incidents
            WHERE (cardinality($1::text[]) = 0 OR status = ANY($1)) AND ($2::text IS NULL OR service_id = $2)
                AND (cardinality($5::text[]) = 0 OR priority = ANY($5))
            ORDER BY created_at DESC, id DESC
            LIMIT $3 OFFSET $4
            """);
        cmd.Parameters.AddWithValue(statuses.ToArray());
        cmd.Parameters.AddWithValue((object?)serviceId ?? DBNull.Value);
        cmd.Parameters.AddWithValue(limit + 1);
        cmd.Parameters.AddWithValue(offset);
        cmd.Parameters.AddWithValue((priorities ?? []).ToArray());
        await using var r = await cmd.ExecuteReaderAsync();
        var items = new List<IncidentListItem>();
        while (await r.ReadAsync())
        {
            items.Add(new IncidentListItem(
                r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.GetFieldValue<DateTimeOffset>(6), r.GetFieldValue<DateTimeOffset>(7), r.GetInt32(8), r.GetInt32(9), r.GetInt32(10),
                r.IsDBNull(11) ? null : r.GetFieldValue<DateTimeOffset>(11), r.GetString(12), r.GetString(13)));
        }
        var more = items.Count > limit;
        return new IncidentPage(more ? items[..limit] : items, limit, offset, more);
    }
}
