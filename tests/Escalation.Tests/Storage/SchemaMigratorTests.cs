using Escalation.Storage.Schema;
using Escalation.Testing;
using Npgsql;

namespace Escalation.Tests.Storage;

/// <summary>Each silo applies the schema at its start: a rolling restart must not lock the tables the others write.</summary>
public sealed class SchemaMigratorTests
{
    [Fact]
    public async Task A_start_on_a_current_schema_takes_no_table_lock_so_it_does_not_wait_behind_or_stall_the_others()
    {
        var connectionString = await TestPostgres.CreateDatabase();
        await using var db = NpgsqlDataSource.Create(connectionString);
        // Another silo's long transaction on incidents: an ADD COLUMN (even IF NOT EXISTS) would queue behind it, and
        // every write to incidents behind that.
        await using var other = await db.OpenConnectionAsync();
        await using var tx = await other.BeginTransactionAsync();
        await using (var read = new NpgsqlCommand("SELECT count(*) FROM incidents", other, tx)) await read.ExecuteScalarAsync();

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await SchemaMigrator.Apply(connectionString, limit.Token);
        await tx.RollbackAsync();
    }

    [Fact]
    public async Task A_changed_schema_is_applied_once_and_recorded()
    {
        var connectionString = await TestPostgres.CreateDatabase();
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using (var change = db.CreateCommand("UPDATE escalation_schema SET hash = 'an older version'; DROP INDEX notification_deliveries_in_flight"))
            await change.ExecuteNonQueryAsync();

        await SchemaMigrator.Apply(connectionString);

        await using var index = db.CreateCommand("SELECT count(*) FROM pg_indexes WHERE indexname = 'notification_deliveries_in_flight'");
        Assert.Equal(1L, await index.ExecuteScalarAsync());
        await using var hash = db.CreateCommand("SELECT hash FROM escalation_schema");
        Assert.NotEqual("an older version", await hash.ExecuteScalarAsync());
    }
}
