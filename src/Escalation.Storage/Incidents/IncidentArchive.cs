using System.Text.Json;
using Escalation.Incidents;
using Escalation.Json;
using Escalation.Notifications;
using Npgsql;

namespace Escalation.Storage.Incidents;

/// <summary>The <c>incident_archive</c> table: one JSON document a row, in the grain state's own convention.</summary>
public sealed class IncidentArchive(NpgsqlDataSource db) : IIncidentArchive
{
    private const string TimelineKind = "timeline";
    private const string NotificationKind = "notification";

    public async Task Append(string incidentId, IncidentTrim trim)
    {
        // A notification is kept by its id: after a failed state write the next trim may take another set, and must
        // neither show one twice nor lose one.
        var rows = trim.Timeline.Select((e, i) => (Kind: TimelineKind, Item: (trim.FirstTimelineSeq + i).ToString(), Seq: trim.FirstTimelineSeq + i, Body: JsonSerializer.Serialize(e, EscalationJson.Options)))
            .Concat(trim.Notifications.Select((n, i) => (Kind: NotificationKind, Item: n.Id, Seq: trim.FirstNotificationSeq + i, Body: JsonSerializer.Serialize(n, EscalationJson.Options))))
            .ToList();
        await using var cmd = db.CreateCommand("""
            INSERT INTO incident_archive (incident_id, kind, item, seq, body)
            SELECT $1, kind, item, seq, body::jsonb FROM unnest($2::text[], $3::text[], $4::integer[], $5::text[]) AS r(kind, item, seq, body)
            ON CONFLICT DO NOTHING
            """);
        cmd.Parameters.AddWithValue(incidentId);
        cmd.Parameters.AddWithValue(rows.Select(r => r.Kind).ToArray());
        cmd.Parameters.AddWithValue(rows.Select(r => r.Item).ToArray());
        cmd.Parameters.AddWithValue(rows.Select(r => r.Seq).ToArray());
        cmd.Parameters.AddWithValue(rows.Select(r => r.Body).ToArray());
        await cmd.ExecuteNonQueryAsync();
    }

    public Task<IReadOnlyList<TimelineEntry>> Timeline(string incidentId) => Read<TimelineEntry>(incidentId, TimelineKind);

    public Task<IReadOnlyList<NotificationRecord>> Notifications(string incidentId) => Read<NotificationRecord>(incidentId, NotificationKind);

    private async Task<IReadOnlyList<T>> Read<T>(string incidentId, string kind)
    {
        await using var cmd = db.CreateCommand("SELECT body::text FROM incident_archive WHERE incident_id = $1 AND kind = $2 ORDER BY seq, item");
        cmd.Parameters.AddWithValue(incidentId);
        cmd.Parameters.AddWithValue(kind);
        var items = new List<T>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) items.Add(JsonSerializer.Deserialize<T>(reader.GetString(0), EscalationJson.Options)!);
        return items;
    }
}
