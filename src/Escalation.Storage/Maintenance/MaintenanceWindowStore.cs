using System.Text.Json;
using Escalation.Json;
using Escalation.Maintenance;
using Npgsql;
using NpgsqlTypes;

namespace Escalation.Storage.Maintenance;

/// <summary>
/// The <c>maintenance_windows</c> table: one JSON document a window, with its services and its last end as columns
/// to query by. Not cached: a trigger asks once per new incident, and a window ended early must stop holding at once
/// on every silo.
/// </summary>
public sealed class MaintenanceWindowStore(NpgsqlDataSource db) : IMaintenanceCalendar
{
    public async Task<MaintenanceHold?> HoldFor(string serviceId, DateTimeOffset at)
    {
        MaintenanceHold? hold = null;
        foreach (var window in await Current(at, serviceId))
        {
            if (MaintenanceSchedule.At(window, at) is { } occurrence && (hold is null || occurrence.End > hold.Until))
                hold = new MaintenanceHold(window.Id, occurrence.End, window.Reason);
        }
        return hold;
    }

    public async Task<MaintenanceWindow?> Get(string id)
    {
        await using var cmd = db.CreateCommand("SELECT doc FROM maintenance_windows WHERE id = $1");
        cmd.Parameters.AddWithValue(id);
        return await cmd.ExecuteScalarAsync() is string json ? Deserialize(json) : null;
    }

    public async Task<IReadOnlyList<MaintenanceWindow>> Current(DateTimeOffset at, string? serviceId = null)
    {
        await using var cmd = db.CreateCommand("""
            SELECT doc FROM maintenance_windows
            WHERE (last_end IS NULL OR last_end > $1) AND ($2::text IS NULL OR $2 = ANY(service_ids))
            ORDER BY created_at, id
            """);
        cmd.Parameters.AddWithValue(at.ToUniversalTime());
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)serviceId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await cmd.ExecuteReaderAsync();
        var windows = new List<MaintenanceWindow>();
        while (await reader.ReadAsync()) windows.Add(Deserialize(reader.GetString(0)));
        return windows;
    }

    public async Task Put(MaintenanceWindow window)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO maintenance_windows (id, service_ids, last_end, created_at, doc) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (id) DO UPDATE SET service_ids = EXCLUDED.service_ids, last_end = EXCLUDED.last_end, doc = EXCLUDED.doc
            """);
        cmd.Parameters.AddWithValue(window.Id);
        cmd.Parameters.AddWithValue(window.Services.ToArray());
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)window.LastEnd?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.AddWithValue(window.CreatedAt.ToUniversalTime());
        cmd.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(window, EscalationJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<bool> Delete(string id)
    {
        await using var cmd = db.CreateCommand("DELETE FROM maintenance_windows WHERE id = $1");
        cmd.Parameters.AddWithValue(id);
        return await cmd.ExecuteNonQueryAsync() > 0;
    }

    private static MaintenanceWindow Deserialize(string json) => JsonSerializer.Deserialize<MaintenanceWindow>(json, EscalationJson.Options)!;
}
