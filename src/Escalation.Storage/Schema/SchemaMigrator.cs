using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Escalation.Storage.Schema;

/// <summary>
/// Applies the schema (Orleans' tables and queries, then ours) at start-up. Every statement is idempotent, and an
/// advisory lock keeps silos that start together from applying it at the same moment. The scripts' hash is kept in
/// <c>escalation_schema</c>: a silo starting on a schema already current runs no DDL at all, since even an
/// <c>ADD COLUMN IF NOT EXISTS</c> takes its table's exclusive lock and would stall the other silos' writes (a rolling
/// restart starts a silo per pod). A new schema is applied by the first silo of the new version, and gives up its
/// table locks rather than queue behind a long transaction (<c>lock_timeout</c>), trying again.
/// </summary>
public static class SchemaMigrator
{
    private const long LockKey = 0x45534341_4C41544E; // "ESCALATN"
    private static readonly string[] Scripts = ["orleans.sql", "escalation.sql"];
    private const int LockTimeoutMilliseconds = 2000;
    private const int MaxTries = 30;

    public static async Task Apply(string connectionString, CancellationToken ct = default)
    {
        var scripts = new List<string>();
        foreach (var script in Scripts) scripts.Add(await Read(script));
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", scripts))));
        for (var tries = 1; ; tries++)
        {
            try
            {
                await ApplyOnce(connectionString, scripts, hash, ct);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable && tries < MaxTries)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * Math.Min(tries, 10)), ct);
            }
        }
    }

    private static async Task ApplyOnce(string connectionString, List<string> scripts, string hash, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await Execute(connection, tx, $"SELECT pg_advisory_xact_lock({LockKey})", ct);
        await Execute(connection, tx, "CREATE TABLE IF NOT EXISTS escalation_schema (id integer PRIMARY KEY CHECK (id = 1), hash text NOT NULL, applied_at timestamptz NOT NULL)", ct);
        await using (var current = new NpgsqlCommand("SELECT hash FROM escalation_schema WHERE id = 1", connection, tx))
        {
            if (await current.ExecuteScalarAsync(ct) as string == hash)
            {
                await tx.CommitAsync(ct);
                return;
            }
        }
        await Execute(connection, tx, $"SET LOCAL lock_timeout = {LockTimeoutMilliseconds}", ct);
        foreach (var script in scripts) await Execute(connection, tx, script, ct);
        await LegacyStates.Import(connection, tx, ct);
        await using (var record = new NpgsqlCommand(
            "INSERT INTO escalation_schema (id, hash, applied_at) VALUES (1, $1, now()) ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, applied_at = excluded.applied_at",
            connection, tx))
        {
            record.Parameters.AddWithValue(hash);
            await record.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<string> Read(string name)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("Schema." + name, StringComparison.Ordinal));
        await using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
