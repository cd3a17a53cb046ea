using Escalation.Storage.Auth;
using Npgsql;

namespace Escalation.Storage.Monitors;

/// <summary>The heartbeats' ping tokens: one a monitor, kept only as a hash, replaced when rotated.</summary>
public sealed class MonitorTokenStore(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>A new token for the monitor; the one before stops working.</summary>
    public async Task<string> Rotate(string monitorId)
    {
        var token = SecretTokens.New("ehb_");
        await using var cmd = db.CreateCommand("""
            INSERT INTO monitor_tokens (monitor_id, token_hash, created_at) VALUES ($1, $2, $3)
            ON CONFLICT (monitor_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at
            """);
        cmd.Parameters.AddWithValue(monitorId);
        cmd.Parameters.AddWithValue(SecretTokens.Hash(token));
        cmd.Parameters.AddWithValue(clock.GetUtcNow());
        await cmd.ExecuteNonQueryAsync();
        return token;
    }

    /// <summary>The monitor the token pings; null for a token nobody has.</summary>
    public async Task<string?> MonitorOf(string token)
    {
        await using var cmd = db.CreateCommand("SELECT monitor_id FROM monitor_tokens WHERE token_hash = $1");
        cmd.Parameters.AddWithValue(SecretTokens.Hash(token));
        return await cmd.ExecuteScalarAsync() as string;
    }

    public async Task Delete(string monitorId)
    {
        await using var cmd = db.CreateCommand("DELETE FROM monitor_tokens WHERE monitor_id = $1");
        cmd.Parameters.AddWithValue(monitorId);
        await cmd.ExecuteNonQueryAsync();
    }
}
