using System.Security.Cryptography;
using System.Text.Json;
using Escalation.Storage.Auth;
using Npgsql;
using NpgsqlTypes;

namespace Escalation.Storage.Integrations;

/// <summary>
/// Integrations of a service: each with its URL secret (<see cref="SecretTokens"/>, stored as its hash, shown only
/// when made or rotated) and the tool's signing secret where it has one.
/// </summary>
public sealed class IntegrationStore(NpgsqlDataSource db, TimeProvider clock)
{
    private const string Columns = "id, service_id, type, name, signing_secret, settings::text, created_at";

    public static string NewSecret() => SecretTokens.New("ein_");

    public async Task<(Integration Integration, string Secret)> Create(string serviceId, string type, string name, string? signingSecret, JsonElement? settings)
    {
        var secret = NewSecret();
        var integration = new Integration("int_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), serviceId, type, name, signingSecret,
            settings, clock.GetUtcNow());
        await using var cmd = db.CreateCommand(
            "INSERT INTO integrations (id, service_id, type, name, secret_hash, signing_secret, settings, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
        cmd.Parameters.AddWithValue(integration.Id);
        cmd.Parameters.AddWithValue(serviceId);
        cmd.Parameters.AddWithValue(type);
        cmd.Parameters.AddWithValue(name);
        cmd.Parameters.AddWithValue(SecretTokens.Hash(secret));
        cmd.Parameters.AddWithValue((object?)signingSecret ?? DBNull.Value);
        cmd.Parameters.Add(new NpgsqlParameter { Value = settings is { } s ? s.GetRawText() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
        cmd.Parameters.AddWithValue(integration.CreatedAt);
        await cmd.ExecuteNonQueryAsync();
        return (integration, secret);
    }

    /// <summary>The integration <paramref name="id"/> when <paramref name="secret"/> is its URL secret; otherwise null.</summary>
    public async Task<Integration?> Find(string id, string secret)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM integrations WHERE id = $1 AND secret_hash = $2");
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(SecretTokens.Hash(secret));
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    public async Task<Integration?> Get(string serviceId, string id)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM integrations WHERE service_id = $1 AND id = $2");
        cmd.Parameters.AddWithValue(serviceId);
        cmd.Parameters.AddWithValue(id);
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<Integration>> List(string serviceId)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM integrations WHERE service_id = $1 ORDER BY created_at, id");
        cmd.Parameters.AddWithValue(serviceId);
        await using var reader = await cmd.ExecuteReaderAsync();
        var integrations = new List<Integration>();
        while (await reader.ReadAsync()) integrations.Add(Read(reader));
        return integrations;
    }

    public async Task<bool> Delete(string serviceId, string id)
    {
        await using var cmd = db.CreateCommand("DELETE FROM integrations WHERE service_id = $1 AND id = $2");
        cmd.Parameters.AddWithValue(serviceId);
        cmd.Parameters.AddWithValue(id);
        return await cmd.ExecuteNonQueryAsync() > 0;
    }

    /// <summary>Gives the integration a new URL secret, which replaces the old one at once; null when there is no such integration.</summary>
    public async Task<string?> RotateSecret(string serviceId, string id)
    {
        var secret = NewSecret();
        await using var cmd = db.CreateCommand("UPDATE integrations SET secret_hash = $3 WHERE service_id = $1 AND id = $2");
        cmd.Parameters.AddWithValue(serviceId);
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(SecretTokens.Hash(secret));
        return await cmd.ExecuteNonQueryAsync() > 0 ? secret : null;
    }

    private static Integration Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
        r.IsDBNull(5) ? null : JsonSerializer.Deserialize<JsonElement>(r.GetString(5)), r.GetFieldValue<DateTimeOffset>(6));
}
