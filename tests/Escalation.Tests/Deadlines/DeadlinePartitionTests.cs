using Escalation.Alerts;
using Escalation.Incidents;
using Escalation.Testing;
using Escalation.Tests.Grains;

namespace Escalation.Tests.Deadlines;

/// <summary>Three silos: each deadline service owns part of the ring; a lost silo's part moves to the survivors.</summary>
public sealed class DeadlinePartitionTests : IAsyncLifetime
{
    private const int Incidents = 30;
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private EscalationCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await EscalationCluster.StartAsync(silos: 3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Deadlines_spread_over_the_silos_and_a_lost_silos_part_fires_once_on_the_survivors()
    {
        await OnCallSetup.Load(_cluster.Store);
        var ids = new List<string>();
        for (var i = 0; i < Incidents; i++)
            ids.Add(await _cluster.Grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(OnCallSetup.ServiceId, $"part-{i}"))
                .Trigger(new IncidentTrigger(OnCallSetup.ServiceId, $"part-{i}", "down", Severity.Critical, "monitor", null, null, null, null, [], "test")));

        // Minute 14: the sweeps have loaded the level-2 deadlines (minute 15), each on the silo owning its hash.
        for (var minute = 0; minute < 14; minute++) await Step(Minute);
        var held = _cluster.Cluster.Silos.Select(s => EscalationCluster.DeadlinesOf(s).Held).ToList();
        Assert.Equal(Incidents, held.Sum());
        Assert.All(held, h => Assert.True(h > 0, $"every silo holds part of the deadlines: {string.Join(", ", held)}"));

        var lost = _cluster.Cluster.Silos[1];
        await _cluster.Cluster.KillSiloAsync(lost);
        // The survivors take the lost range over and load it at once.
        await Eventually.Get(() => Task.FromResult(_cluster.Cluster.Silos.Sum(s => EscalationCluster.DeadlinesOf(s).Held)),
            sum => sum == Incidents, "the survivors to hold every deadline", TimeSpan.FromSeconds(60));

        await Step(Minute);
        foreach (var id in ids)
        {
            var state = await Eventually.Get(async () => (await _cluster.Grains.GetGrain<IIncidentGrain>(id).Get())!,
                s => s.Position.Level == 1, $"incident {id} at level 2");
            Assert.Single(state.Timeline, e => e.Type == "escalated");
        }
    }

    private async Task Step(TimeSpan step)
    {
        _cluster.Clock.Advance(step);
        foreach (var silo in _cluster.Cluster.Silos) await EscalationCluster.DeadlinesOf(silo).WhenIdle();
    }
}
