using Escalation.Alerts;
using Escalation.Incidents;
using Escalation.Testing;

namespace Escalation.Tests.Grains;

/// <summary>Dedup is the unique index of open incidents: racing opens make one incident, racing alerts all count on it.</summary>
public sealed class DedupRaceTests : IAsyncLifetime
{
    private EscalationCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await EscalationCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Sixty_four_new_incidents_racing_for_one_dedup_key_make_exactly_one()
    {
        await OnCallSetup.Load(_cluster.Store);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ =>
            _cluster.Grains.GetGrain<IIncidentGrain>(IncidentIds.New(_cluster.Clock.GetUtcNow())).Trigger(OnCallSetup.TriggerFor("one-key"))));

        Assert.Single(outcomes, o => o == TriggerOutcome.Opened);
        Assert.Equal(63, outcomes.Count(o => o == TriggerOutcome.Duplicate));
        Assert.Equal(1L, await Count("SELECT count(*) FROM incidents WHERE dedup_key = 'one-key'"));
    }

    [Fact]
    public async Task Sixty_four_parallel_alerts_on_one_key_add_up_on_one_incident()
    {
        await OnCallSetup.Load(_cluster.Store);
        var key = _cluster.Grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(OnCallSetup.ServiceId, "storm"));
        var ids = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => key.Trigger(OnCallSetup.TriggerFor("storm"))));

        Assert.Single(ids.Distinct());
        Assert.Equal(64, (await _cluster.Grains.GetGrain<IIncidentGrain>(ids[0]).Get())!.AlertCount);
        Assert.Equal(64L, await Count("SELECT alert_count::bigint FROM incidents WHERE dedup_key = 'storm'"));
    }


    private async Task<long> Count(string sql)
    {
        await using var cmd = _cluster.Db.CreateCommand(sql);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
