using System.Text.Json;
using Escalation.Incidents;
using Escalation.Json;
using Npgsql;
using NpgsqlTypes;

namespace Escalation.Storage.Changes;

/// <summary>A change on a service's timeline: <paramref name="At"/> is when the tool says it happened, else when it arrived.</summary>
public sealed record ChangeView(
    Guid Id, string ServiceId, DateTimeOffset At, DateTimeOffset ReceivedAt, string Summary, string? Source,
    IReadOnlyList<IncidentLink> Links, JsonElement? CustomDetails);

public sealed record ChangePage(IReadOnlyList<ChangeView> Changes, int Limit, bool More);

/// <summary>
/// The <c>change_events</c> table. Changes are kept for <see cref="Retention"/> after they arrived, as PagerDuty
/// keeps them: every insert also deletes up to <see cref="DeletedPerInsert"/> rows older than that, in the same
/// statement, so the table never grows past what arrived in that time (and deleting costs each insert little).
/// </summary>
public sealed class ChangeEventStore(NpgsqlDataSource db, TimeProvider clock)
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);
    public const int DeletedPerInsert = 100;

    /// <summary>The changes an incident shows: those of its service in the hour before it opened.</summary>
    public static readonly TimeSpan RecentBeforeIncident = TimeSpan.FromHours(1);
    public const int RecentShown = 10;

    // Past every timestamp a change can carry (the API takes years before 2200).
    private static readonly DateTimeOffset Latest = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Stores the change; when this returns it is committed.</summary>
    public async Task<ChangeView> Record(string serviceId, string summary, string? source, DateTimeOffset? at, string? customDetailsJson, IReadOnlyList<IncidentLink> links)
    {
        var received = clock.GetUtcNow();
        var view = new ChangeView(Guid.CreateVersion7(received), serviceId, at ?? received, received, summary, source,
            links, customDetailsJson is null ? null : JsonDocument.Parse(customDetailsJson).RootElement);
        // One batch, one implicit transaction: the insert is not committed without its share of the cleanup.
        await using var batch = db.CreateBatch();
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO change_events (id, service_id, at, received_at, summary, source, links, custom_details)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """);
        insert.Parameters.AddWithValue(view.Id);
        insert.Parameters.AddWithValue(serviceId);
        insert.Parameters.AddWithValue(view.At);
        insert.Parameters.AddWithValue(received);
        insert.Parameters.AddWithValue(summary);
        insert.Parameters.AddWithValue((object?)source ?? DBNull.Value);
        insert.Parameters.AddWithValue(NpgsqlDbType.Jsonb, JsonSerializer.Serialize(links, EscalationJson.Options));
        insert.Parameters.AddWithValue(NpgsqlDbType.Jsonb, (object?)customDetailsJson ?? DBNull.Value);
        var cleanup = new NpgsqlBatchCommand("DELETE FROM change_events WHERE id IN (SELECT id FROM change_events WHERE received_at < $1 LIMIT $2)");
        cleanup.Parameters.AddWithValue(received - Retention);
        cleanup.Parameters.AddWithValue(DeletedPerInsert);
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(cleanup);
        await batch.ExecuteNonQueryAsync();
        return view;
    }

    /// <summary>The service's changes with <paramref name="from"/> ≤ at &lt; <paramref name="to"/>, newest first, at most <paramref name="limit"/>.</summary>
    public async Task<ChangePage> ForService(string serviceId, DateTimeOffset? from, DateTimeOffset? to, int limit)
    {
        await using var cmd = db.CreateCommand("""
            SELECT id, service_id, at, received_at, summary, source, links, custom_details FROM change_events
            WHERE service_id = $1 AND at >= $2 AND at < $3
            ORDER BY at DESC, id DESC LIMIT $4
            """);
        cmd.Parameters.AddWithValue(serviceId);
        cmd.Parameters.AddWithValue(from ?? DateTimeOffset.UnixEpoch);
        cmd.Parameters.AddWithValue(to ?? Latest);
        cmd.Parameters.AddWithValue(limit + 1);
        var changes = new List<ChangeView>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            changes.Add(new ChangeView(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                JsonSerializer.Deserialize<List<IncidentLink>>(reader.GetString(6), EscalationJson.Options) ?? [],
                reader.IsDBNull(7) ? null : JsonDocument.Parse(reader.GetString(7)).RootElement));
        return changes.Count > limit ? new ChangePage(changes[..limit], limit, true) : new ChangePage(changes, limit, false);
    }

    /// <summary>The changes shown on an incident of <paramref name="serviceId"/> opened at <paramref name="openedAt"/>, newest first.</summary>
    public async Task<IReadOnlyList<ChangeView>> RecentBefore(string serviceId, DateTimeOffset openedAt) =>
        (await ForService(serviceId, openedAt - RecentBeforeIncident, openedAt.AddMilliseconds(1), RecentShown)).Changes;
}
