using Escalation.Storage.Schema;
using Escalation.Testing;
using Npgsql;

namespace Escalation.Tests.Storage;

public sealed class GrainKeyColumnTests
{
    /// <summary>An installation made before escaped alert keys has Orleans' 512; start-up widens it, keeping the rows.</summary>
    [Fact]
    public async Task An_older_installation_gets_room_for_escaped_alert_keys()
    {
        var connectionString = await TestPostgres.CreateDatabase(); // the schema as it is now: made old again below
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using (var old = db.CreateCommand("""
            DELETE FROM escalation_schema; -- an older installation kept no hash of its schema
            ALTER TABLE OrleansStorage ALTER COLUMN GrainIdExtensionString TYPE varchar(512);
            INSERT INTO OrleansStorage VALUES (1, 0, 0, 2, 'other-state', 'api|disk', 'escalation', NULL, now(), 1);
            """))
            await old.ExecuteNonQueryAsync();

        await SchemaMigrator.Apply(connectionString);
        await SchemaMigrator.Apply(connectionString);

        await using var width = db.CreateCommand("""
            SELECT character_maximum_length FROM information_schema.columns
            WHERE table_name = 'orleansstorage' AND column_name = 'grainidextensionstring'
            """);
        Assert.Equal(1024, await width.ExecuteScalarAsync());
        await using var kept = db.CreateCommand("SELECT GrainIdExtensionString FROM OrleansStorage");
        Assert.Equal("api|disk", await kept.ExecuteScalarAsync());
    }
}
