using Npgsql;

namespace Escalation.Storage.Secrets;

/// <summary>
/// The <c>service_secrets</c> table: keys the service makes for itself on first start and keeps in the database, so
/// that every silo uses the same one.
/// </summary>
public sealed class ServiceSecrets(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>The secret stored as <paramref name="name"/>; when there is none yet, <paramref name="create"/>'s is stored (the first silo's wins).</summary>
    public async Task<byte[]> GetOrCreate(string name, Func<byte[]> create)
    {
        await using (var insert = db.CreateCommand("INSERT INTO service_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING"))
        {
            insert.Parameters.AddWithValue(name);
            insert.Parameters.AddWithValue(create());
            insert.Parameters.AddWithValue(clock.GetUtcNow());
            await insert.ExecuteNonQueryAsync();
        }
        await using var select = db.CreateCommand("SELECT value FROM service_secrets WHERE name = $1");
        select.Parameters.AddWithValue(name);
        return (byte[])(await select.ExecuteScalarAsync())!;
    }
}
