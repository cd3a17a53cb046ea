using System.Text.Json;
using Escalation.Deadlines;
using Escalation.Json;
using Npgsql;
using Orleans.Storage;

namespace Escalation.Storage.GrainStates;

/// <summary>
/// Owner of <c>grain_states</c>: Orleans grain storage for the grains other than incidents (rotations, maintenance
/// windows). One row a grain: its state as JSON, a version (the ETag) guarding each write, and its next deadline
/// (<see cref="IHasNextDeadline"/>) written in the same statement, then handed to the deadline service.
/// </summary>
public sealed class GrainStateStore(NpgsqlDataSource db, IDeadlineScheduler deadlines) : IGrainStorage
{
    public const string Name = Escalation.Deadlines.GrainStates.Store;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var cmd = db.CreateCommand("SELECT state::text, version FROM grain_states WHERE grain_id = $1");
        cmd.Parameters.AddWithValue(grainId.ToString());
        await using var reader = await cmd.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return;
        grainState.State = JsonSerializer.Deserialize<T>(reader.GetString(0), EscalationJson.Options)!;
        grainState.ETag = reader.GetInt64(1).ToString();
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var expected = grainState.ETag is { } etag ? long.Parse(etag) : 0;
        var version = expected + 1;
        var due = (grainState.State as IHasNextDeadline)?.NextDeadline;
        await using var cmd = db.CreateCommand("""
            INSERT INTO grain_states (grain_id, version, state, next_deadline_at, ring_hash)
            VALUES ($1, $2, $3::jsonb, $4, $5)
            ON CONFLICT (grain_id) DO UPDATE SET version = EXCLUDED.version, state = EXCLUDED.state, next_deadline_at = EXCLUDED.next_deadline_at
            WHERE grain_states.version = $6
            """);
        cmd.Parameters.AddWithValue(grainId.ToString());
        cmd.Parameters.AddWithValue(version);
        cmd.Parameters.AddWithValue(JsonSerializer.Serialize(grainState.State, EscalationJson.Options));
        cmd.Parameters.AddWithValue((object?)due?.UtcDateTime ?? DBNull.Value);
        cmd.Parameters.AddWithValue((long)grainId.GetUniformHashCode());
        cmd.Parameters.AddWithValue(expected);
        if (await cmd.ExecuteNonQueryAsync() == 0)
            throw new InconsistentStateException($"The state of {grainId} changed meanwhile.", grainState.ETag, "another version");
        grainState.ETag = version.ToString();
        grainState.RecordExists = true;
        deadlines.Scheduled([new ScheduledDeadline(grainId, due, version)]);
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var cmd = db.CreateCommand("DELETE FROM grain_states WHERE grain_id = $1");
        cmd.Parameters.AddWithValue(grainId.ToString());
        await cmd.ExecuteNonQueryAsync();
        grainState.ETag = null;
        grainState.RecordExists = false;
        deadlines.Scheduled([new ScheduledDeadline(grainId, null, long.MaxValue)]);
    }
}
