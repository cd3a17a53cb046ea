using System.Text.Json;
using Escalation.Incidents;
using Escalation.Json;
using Escalation.Practice;
using Escalation.Routing;
using Npgsql;

namespace Escalation.Storage.Incidents;

/// <summary>
/// Reads what the reports and the SLOs count: the incidents opened in a range, and the pages the ledger delivered for
/// them. Never activates a grain.
/// </summary>
public sealed class IncidentReports(NpgsqlDataSource db) : IServiceIncidents
{
    /// <summary>At most <paramref name="limit"/> incidents; the caller refuses a range holding more rather than report on part of it.</summary>
    public async Task<IReadOnlyList<IncidentState>> OpenedBetween(DateTimeOffset from, DateTimeOffset to, string? serviceId, int limit)
    {
        await using var cmd = db.CreateCommand("""
            SELECT state FROM incidents
            WHERE created_at >= $1 AND created_at < $2 AND ($3::text IS NULL OR service_id = $3) AND state IS NOT NULL
            ORDER BY created_at, id LIMIT $4
            """);
        cmd.Parameters.AddWithValue(from);
        cmd.Parameters.AddWithValue(to);
        cmd.Parameters.AddWithValue((object?)serviceId ?? DBNull.Value);
        cmd.Parameters.AddWithValue(limit);
        return await States(cmd);
    }

    /// <summary>
    /// The newest <paramref name="limit"/> incidents of one service and priority opened since <paramref name="since"/>,
    /// each with only what an SLO reads of it (its cycles, status, source, route): an SLO reads them every minute, so
    /// the timelines and notifications are left in the database.
    /// </summary>
    public async Task<IReadOnlyList<IncidentState>> OpenedSince(string serviceId, Priority priority, DateTimeOffset since, int limit)
    {
        await using var cmd = db.CreateCommand("""
            SELECT jsonb_strip_nulls(jsonb_build_object('id', id, 'service_id', service_id, 'priority', priority, 'status', state->'status',
                'created_at', state->'created_at', 'resolved_at', state->'resolved_at', 'acknowledged_at', state->'acknowledged_at',
                'acknowledged_by', state->'acknowledged_by', 'source', state->'source', 'route', state->'route',
                'cycle', state->'cycle', 'cycles', COALESCE(state->'cycles', '[]'::jsonb), 'targets', state->'targets'))::text
            FROM incidents
            WHERE service_id = $1 AND priority = $2 AND created_at >= $3 AND state IS NOT NULL
            ORDER BY created_at DESC LIMIT $4
            """);
        cmd.Parameters.AddWithValue(serviceId);
        cmd.Parameters.AddWithValue(priority.ToString());
        cmd.Parameters.AddWithValue(since);
        cmd.Parameters.AddWithValue(limit);
        return await States(cmd);
    }

    public async Task<IReadOnlyList<SentPage>> PagesSent(IReadOnlyList<string> incidentIds)
    {
        await using var cmd = db.CreateCommand("""
            SELECT notification_id, incident_id, user_id, sent_at FROM notification_deliveries
            WHERE incident_id = ANY($1) AND status = 'sent' AND user_id <> '' AND sent_at IS NOT NULL
            """);
        cmd.Parameters.AddWithValue(incidentIds.ToArray());
        await using var r = await cmd.ExecuteReaderAsync();
        var pages = new List<SentPage>();
        while (await r.ReadAsync()) pages.Add(new SentPage(r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3)));
        return pages;
    }

    private static async Task<IReadOnlyList<IncidentState>> States(NpgsqlCommand cmd)
    {
        await using var r = await cmd.ExecuteReaderAsync();
        var incidents = new List<IncidentState>();
        while (await r.ReadAsync()) incidents.Add(JsonSerializer.Deserialize<IncidentState>(r.GetString(0), EscalationJson.Options)!);
        return incidents;
    }
}
