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
