using Npgsql;

namespace Escalation.Storage.Schema;

/// <summary>
/// Applies the schema (Orleans' tables and queries, then ours) at start-up. Every statement is idempotent, and an
/// advisory lock keeps silos that start together from applying it at the same moment.
/// </summary>
public static class SchemaMigrator
{
    private const long LockKey = 0x45534341_4C41544E; // "ESCALATN"
    private static readonly string[] Scripts = ["orleans.sql", "escalation.sql"];

    public static async Task Apply(string connectionString, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({LockKey})", connection, tx))
            await lockCmd.ExecuteNonQueryAsync(ct);
        foreach (var script in Scripts)
        {
            await using var cmd = new NpgsqlCommand(await Read(script), connection, tx);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await LegacyStates.Import(connection, tx, ct);
        await tx.CommitAsync(ct);
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
