using Escalation.Incidents;
using Escalation.Routing;
using Npgsql;

namespace Escalation.Storage.Incidents;

/// <summary>
/// The incidents read model in PostgreSQL. A row never goes back to an older version of its incident: after a crash
/// an incident can briefly be active on two silos, and the late upsert of the stale copy must not overwrite the newer one.
/// </summary>
public sealed class IncidentIndex(NpgsqlDataSource db) : IIncidentIndex
{
    public async Task Upsert(IncidentSummary s)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO incidents (id, service_id, dedup_key, title, severity, status, created_at, updated_at, alert_count, level, loop, next_escalation_at, version, priority, route)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, severity = EXCLUDED.severity, status = EXCLUDED.status,
                updated_at = EXCLUDED.updated_at, alert_count = EXCLUDED.alert_count, level = EXCLUDED.level,
                loop = EXCLUDED.loop, next_escalation_at = EXCLUDED.next_escalation_at, version = EXCLUDED.version,
                priority = EXCLUDED.priority, route = EXCLUDED.route
            WHERE incidents.version < EXCLUDED.version
            """);
        cmd.Parameters.AddWithValue(s.Id);
        cmd.Parameters.AddWithValue(s.ServiceId);
        cmd.Parameters.AddWithValue(s.DedupKey);
        cmd.Parameters.AddWithValue(s.Title);
        cmd.Parameters.AddWithValue(s.Severity.ToString().ToLowerInvariant());
        cmd.Parameters.AddWithValue(s.Status.ToString().ToLowerInvariant());
        cmd.Parameters.AddWithValue(s.CreatedAt);
        cmd.Parameters.AddWithValue(s.UpdatedAt);
        cmd.Parameters.AddWithValue(s.AlertCount);
        cmd.Parameters.AddWithValue(s.Position.Level + 1);
        cmd.Parameters.AddWithValue(s.Position.Loop);
        cmd.Parameters.AddWithValue((object?)s.NextEscalationAt ?? DBNull.Value);
        cmd.Parameters.AddWithValue(s.Version);
        cmd.Parameters.AddWithValue(s.Priority.ToString());
        cmd.Parameters.AddWithValue(RouteNames.Of(s.Route));
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<string>> Behind(DateTimeOffset since, int limit)
    {
        // The grain state is the incident's JSON (snake_case) under the state name "incident".
        await using var cmd = db.CreateCommand("""
            SELECT s.state->>'id'
            FROM (SELECT convert_from(payloadbinary, 'UTF8')::jsonb AS state
                  FROM orleansstorage WHERE graintypestring = 'incident' AND modifiedon >= $1 AND payloadbinary IS NOT NULL) s
            LEFT JOIN incidents i ON i.id = s.state->>'id'
            WHERE coalesce(i.version, -1) < (s.state->>'version')::bigint
            LIMIT $2
            """);
        cmd.Parameters.AddWithValue(since);
        cmd.Parameters.AddWithValue(limit);
        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }

    public async Task<IReadOnlyList<string>> OpenIn(IReadOnlyCollection<string> serviceIds, int limit)
    {
        await using var cmd = db.CreateCommand("SELECT id FROM incidents WHERE service_id = ANY($1) AND status <> 'resolved' ORDER BY created_at LIMIT $2");
        cmd.Parameters.AddWithValue(serviceIds.ToArray());
        cmd.Parameters.AddWithValue(limit);
        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }
}
