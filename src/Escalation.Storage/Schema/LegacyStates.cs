using Npgsql;

namespace Escalation.Storage.Schema;

/// <summary>
/// Before deadlines were data, grain states lived in Orleans' <c>orleansstorage</c> (under their state names) and
/// deadlines in reminders. A database from then has its incidents, rotations and maintenance windows moved to their
/// rows once, inside the schema's transaction, each due at once so that its grain looks at it; then the old rows and
/// the reminders go. The alert keys' pointers are not needed any more: the dedup index replaced them.
/// </summary>
internal static class LegacyStates
{
    private static readonly Dictionary<string, string> GrainTypes = new()
    {
        ["incident"] = "incident",
        ["rotation"] = "rotation",
        ["maintenance"] = "maintenancewindow",
    };

    public static async Task Import(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        var legacy = new List<(string State, string Key, string Json)>();
        await using (var read = new NpgsqlCommand("""
            SELECT graintypestring, grainidextensionstring, convert_from(payloadbinary, 'UTF8') FROM orleansstorage
            WHERE graintypestring = ANY($1) AND payloadbinary IS NOT NULL AND grainidextensionstring IS NOT NULL
            """, connection, tx))
        {
            read.Parameters.AddWithValue(GrainTypes.Keys.ToArray());
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) legacy.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        foreach (var (state, key, json) in legacy)
        {
            var grain = GrainId.Create(GrainTypes[state], key);
            await using var move = new NpgsqlCommand(state == "incident"
                ? "UPDATE incidents SET state = $2::jsonb, next_deadline_at = now(), ring_hash = $3 WHERE id = $1 AND state IS NULL"
                : "INSERT INTO grain_states (grain_id, version, state, next_deadline_at, ring_hash) VALUES ($1, 1, $2::jsonb, now(), $3) ON CONFLICT DO NOTHING",
                connection, tx);
            move.Parameters.AddWithValue(state == "incident" ? key : grain.ToString());
            move.Parameters.AddWithValue(json);
            move.Parameters.AddWithValue((long)grain.GetUniformHashCode());
            await move.ExecuteNonQueryAsync(ct);
        }
        await using var drop = new NpgsqlCommand("""
            DELETE FROM orleansstorage WHERE graintypestring IN ('incident', 'rotation', 'maintenance', 'alert-key');
            DELETE FROM orleansreminderstable;
            """, connection, tx);
        await drop.ExecuteNonQueryAsync(ct);
    }
}
