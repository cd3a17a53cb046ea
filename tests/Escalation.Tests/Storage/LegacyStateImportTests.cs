using Escalation.Storage.Schema;
using Escalation.Testing;
using Npgsql;

namespace Escalation.Tests.Storage;

/// <summary>A database from before deadlines were data: its grain states move to their rows at start-up, due at once.</summary>
public sealed class LegacyStateImportTests
{
    [Fact]
    public async Task Incidents_and_rotations_kept_by_orleans_move_to_their_rows_and_the_reminders_go()
    {
        var connectionString = await TestPostgres.CreateDatabase();
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using (var old = db.CreateCommand("""
            DELETE FROM escalation_schema; -- a database from before the schema's hash was kept
            INSERT INTO incidents (id, service_id, dedup_key, title, severity, status, created_at, updated_at, alert_count, level, loop, version)
            VALUES ('01JOLD0000000000000000000A', 'svc', 'disk', 'Disk full', 'critical', 'triggered', now(), now(), 1, 1, 0, 3);
            INSERT INTO OrleansStorage VALUES (1, 0, 0, 2, 'incident', '01JOLD0000000000000000000A', 'escalation', convert_to('{"id": "01JOLD0000000000000000000A", "version": 3}', 'UTF8'), now(), 1);
            INSERT INTO OrleansStorage VALUES (2, 0, 0, 3, 'rotation', 'primary', 'escalation', convert_to('{"overrides": []}', 'UTF8'), now(), 1);
            INSERT INTO OrleansStorage VALUES (3, 0, 0, 4, 'alert-key', 'svc|disk', 'escalation', convert_to('{}', 'UTF8'), now(), 1);
            INSERT INTO OrleansRemindersTable VALUES ('escalation', 'incident/01JOLD0000000000000000000A', 'escalation-backstop', now(), 60000, 1, 1);
            """))
            await old.ExecuteNonQueryAsync();

        await SchemaMigrator.Apply(connectionString);
        await SchemaMigrator.Apply(connectionString);

        await using var incident = db.CreateCommand("SELECT state->>'version', next_deadline_at IS NOT NULL, ring_hash FROM incidents");
        await using (var r = await incident.ExecuteReaderAsync())
        {
            Assert.True(await r.ReadAsync());
            Assert.Equal("3", r.GetString(0));
            Assert.True(r.GetBoolean(1));
            Assert.Equal((long)GrainId.Create("incident", "01JOLD0000000000000000000A").GetUniformHashCode(), r.GetInt64(2));
        }
        await using var rotation = db.CreateCommand("SELECT grain_id FROM grain_states");
        Assert.Equal("rotation/primary", await rotation.ExecuteScalarAsync());
        await using var left = db.CreateCommand("SELECT (SELECT count(*) FROM OrleansStorage) + (SELECT count(*) FROM OrleansRemindersTable)");
        Assert.Equal(0L, await left.ExecuteScalarAsync());
    }
}
