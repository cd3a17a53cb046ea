using Escalation.Alerts;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Rotations;
using Escalation.Testing;
using Npgsql;

namespace Escalation.Tests.Grains;

/// <summary>A grain state write that fails leaves the stored state as it was, and nothing half-applied is written later.</summary>
public sealed class FailedWriteTests : IAsyncLifetime
{
    private EscalationCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await EscalationCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_trigger_whose_incident_write_failed_leaves_nothing_and_its_retry_opens_one_incident()
    {
        await OnCallSetup.Load(_cluster.Store);
        var key = _cluster.Grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(OnCallSetup.ServiceId, "flaky-db"));
        await FailNextWrites("incident", 1);

        await Assert.ThrowsAnyAsync<Exception>(() => key.Trigger(OnCallSetup.TriggerFor("flaky-db")));
        Assert.Equal("", await StoredState("incident"));
        var id = await key.Trigger(OnCallSetup.TriggerFor("flaky-db"));

        Assert.Contains(id, await StoredState("incident"));
        Assert.Equal(1, (await _cluster.Grains.GetGrain<IIncidentGrain>(id).Get())!.AlertCount);
        Assert.Equal(id, await key.Resolve("monitor"));
    }

    [Fact]
    public async Task An_acknowledgement_whose_write_failed_is_not_written_when_the_incident_deactivates()
    {
        await OnCallSetup.Load(_cluster.Store);
        var id = await _cluster.Grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(OnCallSetup.ServiceId, "ack-fails")).Trigger(OnCallSetup.TriggerFor("ack-fails"));
        var incident = _cluster.Grains.GetGrain<IIncidentGrain>(id);
        // The page's report is held in memory (a plain success is not written at once): the deactivation would write it.
        await Eventually.Get(async () => (await incident.Get())!, s => s.Notifications.All(n => n.Status == NotificationStatus.Sent), "the page sent");
        await FailNextWrites("incident", 1);

        await Assert.ThrowsAnyAsync<Exception>(() => incident.Acknowledge("oncall", "half"));

        var state = (await incident.Get())!;
        Assert.Equal(IncidentStatus.Triggered, state.Status);
        Assert.Null(state.AcknowledgedBy);
        Assert.DoesNotContain("\"acknowledged_by\": \"oncall\"", await StoredState("incident"));
        Assert.Contains("\"acknowledged_by\": null", await StoredState("incident"));
        Assert.Equal(CommandOutcome.Done, (await incident.Acknowledge("oncall", "again")).Outcome);
    }

    [Fact]
    public async Task An_override_whose_write_failed_is_not_there_afterwards()
    {
        await RotationSetup.Load(_cluster);
        var rotation = _cluster.Grains.GetGrain<IRotationGrain>(RotationSetup.RotationId);
        await FailNextWrites("rotation", 1);
        var cover = new RotationOverride("ovr_1", OverrideType.Replace, "dara", RotationSetup.OnCallAtStart,
            EscalationCluster.Start.AddHours(1), EscalationCluster.Start.AddHours(5), "dentist");

        await Assert.ThrowsAnyAsync<Exception>(() => rotation.AddOverride(cover));

        Assert.Empty((await rotation.Overrides())!);
        Assert.DoesNotContain("ovr_1", await StoredState("rotation"));
        Assert.Equal(RotationOutcome.Done, (await rotation.AddOverride(cover)).Outcome);
    }


    /// <summary>The next <paramref name="count"/> writes of <paramref name="grainType"/> states ("incident", "rotation") fail.</summary>
    private async Task FailNextWrites(string grainType, int count)
    {
        var table = grainType == "incident" ? "incidents" : "grain_states";
        var mine = grainType == "incident" ? "true" : $"NEW.grain_id LIKE '{grainType}/%'";
        // A sequence counts across the failing (rolled back) transactions.
        await using var cmd = _cluster.Db.CreateCommand($$"""
            CREATE SEQUENCE failed_writes_{{grainType}};
            CREATE FUNCTION fail_write_{{grainType}}() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                IF {{mine}} AND nextval('failed_writes_{{grainType}}') <= {{count}} THEN
                    RAISE EXCEPTION 'the database refused this write';
                END IF;
                RETURN NEW;
            END $f$;
            CREATE TRIGGER fail_write_{{grainType}} BEFORE INSERT OR UPDATE ON {{table}} FOR EACH ROW EXECUTE FUNCTION fail_write_{{grainType}}();
            """);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<string> StoredState(string grainType)
    {
        await using var cmd = _cluster.Db.CreateCommand(grainType == "incident"
            ? "SELECT coalesce(string_agg(state::text, ' '), '') FROM incidents"
            : "SELECT coalesce(string_agg(state::text, ' '), '') FROM grain_states WHERE grain_id LIKE $1");
        if (grainType != "incident") cmd.Parameters.AddWithValue($"{grainType}/%");
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}
