using System.Security.Cryptography;
using Npgsql;

namespace Escalation.Storage.Auth;

/// <summary>An API key as shown; <paramref name="UserId"/> is the user it acts as, if it is bound to one (<see cref="Actor"/>).</summary>
public sealed record ApiKey(string Id, string Name, string Role, DateTimeOffset CreatedAt, string? UserId = null);

/// <summary>API keys: <see cref="SecretTokens"/> with a role and maybe a user, stored as their hash.</summary>
public sealed class ApiKeyStore(NpgsqlDataSource db, TimeProvider clock)
{
    public const string BootstrapId = "bootstrap-admin";

    public static string NewSecret() => SecretTokens.New("esk_");

    public static string Hash(string secret) => SecretTokens.Hash(secret);

    public async Task<(ApiKey Key, string Secret)> Create(string name, string role, string? userId = null)
    {
        var secret = NewSecret();
        var key = new ApiKey("key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), name, role, clock.GetUtcNow(), userId);
        await Insert(key, secret, overwrite: false);
        return (key, secret);
    }

    /// <summary>Sets the bootstrap admin key to the given secret. True when the row was new.</summary>
    public Task<bool> SetBootstrap(string secret) =>
        Insert(new ApiKey(BootstrapId, "bootstrap admin", Roles.Admin, clock.GetUtcNow()), secret, overwrite: true);

    /// <summary>Creates the bootstrap admin key once, cluster-wide; null when one exists already.</summary>
    public async Task<string?> CreateBootstrapOnce()
    {
        var secret = NewSecret();
        return await Insert(new ApiKey(BootstrapId, "bootstrap admin", Roles.Admin, clock.GetUtcNow()), secret, overwrite: false)
            ? secret
            : null;
    }

    public async Task<ApiKey?> Find(string secret)
    {
        await using var cmd = db.CreateCommand("SELECT id, name, role, created_at, user_id FROM api_keys WHERE key_hash = $1");
        cmd.Parameters.AddWithValue(Hash(secret));
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<ApiKey>> List()
    {
        await using var cmd = db.CreateCommand("SELECT id, name, role, created_at, user_id FROM api_keys ORDER BY created_at");
        await using var reader = await cmd.ExecuteReaderAsync();
        var keys = new List<ApiKey>();
        while (await reader.ReadAsync()) keys.Add(Read(reader));
        return keys;
    }

    public async Task<bool> Delete(string id)
    {
        await using var cmd = db.CreateCommand("DELETE FROM api_keys WHERE id = $1");
        cmd.Parameters.AddWithValue(id);
        return await cmd.ExecuteNonQueryAsync() > 0;
    }

    /// <summary>Revokes the keys bound to a user who is being deleted.</summary>
    public async Task DeleteFor(string userId)
    {
        await using var cmd = db.CreateCommand("DELETE FROM api_keys WHERE user_id = $1");
        cmd.Parameters.AddWithValue(userId);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<bool> Insert(ApiKey key, string secret, bool overwrite)
    {
        var onConflict = overwrite
            ? "ON CONFLICT (id) DO UPDATE SET key_hash = EXCLUDED.key_hash RETURNING (xmax = 0)"
            : "ON CONFLICT DO NOTHING RETURNING true";
        await using var cmd = db.CreateCommand($"INSERT INTO api_keys (id, name, role, key_hash, created_at, user_id) VALUES ($1, $2, $3, $4, $5, $6) {onConflict}");
        cmd.Parameters.AddWithValue(key.Id);
        cmd.Parameters.AddWithValue(key.Name);
        cmd.Parameters.AddWithValue(key.Role);
        cmd.Parameters.AddWithValue(Hash(secret));
        cmd.Parameters.AddWithValue(key.CreatedAt);
        cmd.Parameters.AddWithValue((object?)key.UserId ?? DBNull.Value);
        return await cmd.ExecuteScalarAsync() is true;
    }

    private static ApiKey Read(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3), r.IsDBNull(4) ? null : r.GetString(4));
}
