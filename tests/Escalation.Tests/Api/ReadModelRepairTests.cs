using Npgsql;

namespace Escalation.Tests.Api;

/// <summary>The incident list heals when its row was not written after the incident's state (a database blip).</summary>
public sealed class ReadModelRepairTests : IAsyncLifetime
{
    private EscalationApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await EscalationApp.StartAsync(settings: new Dictionary<string, string?> { ["Escalation:Incidents:IndexRepairEvery"] = "00:00:00.5" });
        await OnCallApi.Configure(_app.Client());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_acknowledgement_whose_list_row_failed_to_be_written_shows_in_the_list_soon_after()
    {
        var admin = _app.Client();
        var id = (await admin.PostJson("/api/v1/incidents", new { service_id = "api", title = "Queue stuck", severity = "error", dedup_key = "stuck" }).Ok()).Str("id");
        // Every page reported first: nothing writes the incident after the acknowledgement but the repair.
        await Escalation.Testing.Eventually.Get(() => admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok(),
            n => n.AsArray().Count > 0 && n.AsArray().All(p => p!.Str("status") == "sent"), "the pages sent");
        await Task.Delay(200);
        await RefuseNextListWrite();

        var acked = await admin.PostJson($"/api/v1/incidents/{id}/acknowledge", new { by = "oncall" }).Ok();
        Assert.Equal("acknowledged", acked.Str("status")); // durable: the state was written, only the list row was not

        await Escalation.Testing.Eventually.Get(() => admin.GetAsync("/api/v1/incidents?status=acknowledged").Ok(),
            list => list["incidents"]!.AsArray().Any(i => i!.Str("id") == id), "the list to show the acknowledgement");
        Assert.True(await ListWriteWasRefused());
    }

    /// <summary>The next write of an incidents row fails; a sequence counts across the failing transactions.</summary>
    private async Task RefuseNextListWrite()
    {
        await using var db = NpgsqlDataSource.Create(_app.ConnectionString);
        await using var cmd = db.CreateCommand("""
            CREATE SEQUENCE refused_list_writes;
            CREATE FUNCTION refuse_list_write() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                IF nextval('refused_list_writes') = 1 THEN RAISE EXCEPTION 'the database refused this write'; END IF;
                RETURN NEW;
            END $f$;
            CREATE TRIGGER refuse_list_write BEFORE INSERT OR UPDATE ON incidents FOR EACH ROW EXECUTE FUNCTION refuse_list_write();
            """);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<bool> ListWriteWasRefused()
    {
        await using var db = NpgsqlDataSource.Create(_app.ConnectionString);
        await using var cmd = db.CreateCommand("SELECT is_called FROM refused_list_writes");
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }
}
