using Escalation.Incidents;
using Escalation.Monitors;
using Escalation.Tests.Grains;

namespace Escalation.Tests.Monitors;

public sealed class HeartbeatTests : IAsyncLifetime
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private EscalationCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await EscalationCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_heartbeat_that_goes_quiet_opens_an_incident_and_the_next_ping_resolves_it()
    {
        await OnCallSetup.Load(_cluster.Store);
        var monitor = await MonitorSetup.Watch(_cluster, new ServiceMonitor("nightly-backup", "Nightly backup", OnCallSetup.ServiceId, MonitorKind.Heartbeat,
            Heartbeat: new HeartbeatSpec(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2))));

        // Pings every 10 minutes keep it up.
        for (var i = 0; i < 3; i++)
        {
            await _cluster.Advance(10 * Minute, Minute, () => _cluster.Deadlines.WhenIdle());
            await monitor.Beat();
        }
        Assert.True((await monitor.Status()).Up);

        // Then silence: at 12 minutes (interval and grace) it is down, once.
        await _cluster.Advance(11 * Minute, Minute, () => _cluster.Deadlines.WhenIdle());
        Assert.True((await monitor.Status()).Up);
        await _cluster.Advance(Minute, Minute, () => _cluster.Deadlines.WhenIdle());
        var down = await monitor.Status();
        Assert.False(down.Up);
        var incident = (await MonitorSetup.Incident(_cluster, down.IncidentId))!;
        Assert.Equal((OnCallSetup.ServiceId, IncidentStatus.Triggered, "monitor:nightly-backup"), (incident.ServiceId, incident.Status, incident.DedupKey));
        Assert.Equal("Heartbeat Nightly backup is down: no ping for PT12M (last ping 2026-11-23T01:30:00Z; expected every PT10M)", incident.Title);
        await _cluster.Advance(30 * Minute, 5 * Minute, () => _cluster.Deadlines.WhenIdle());
        Assert.Equal(1, (await MonitorSetup.Incident(_cluster, down.IncidentId))!.AlertCount);

        await monitor.Beat();
        Assert.True((await monitor.Status()).Up);
        Assert.Equal(IncidentStatus.Resolved, (await MonitorSetup.Incident(_cluster, down.IncidentId))!.Status);
        // And it watches again from that ping.
        Assert.Equal(_cluster.Clock.GetUtcNow() + TimeSpan.FromMinutes(12), (await monitor.Status()).NextDeadline);
    }

    [Fact]
    public async Task An_incident_someone_resolves_while_the_pings_are_still_missing_is_opened_again()
    {
        await OnCallSetup.Load(_cluster.Store);
        var monitor = await MonitorSetup.Watch(_cluster, new ServiceMonitor("etl", "ETL", OnCallSetup.ServiceId, MonitorKind.Heartbeat,
            Heartbeat: new HeartbeatSpec(TimeSpan.FromMinutes(10), TimeSpan.Zero)));
        await _cluster.Advance(10 * Minute, Minute, () => _cluster.Deadlines.WhenIdle());
        var first = (await monitor.Status()).IncidentId!;
        await _cluster.Grains.GetGrain<IIncidentGrain>(first).Resolve("aiko", "looked fine");

        await _cluster.Advance(10 * Minute, Minute, () => _cluster.Deadlines.WhenIdle());
        var second = (await monitor.Status()).IncidentId;
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
        Assert.Equal(IncidentStatus.Triggered, (await MonitorSetup.Incident(_cluster, second))!.Status);
    }

    [Fact]
    public async Task A_heartbeat_never_pinged_is_down_one_interval_and_grace_after_it_was_set_up()
    {
        await OnCallSetup.Load(_cluster.Store);
        var monitor = await MonitorSetup.Watch(_cluster, new ServiceMonitor("deploy-pipeline", "Deploy pipeline", OnCallSetup.ServiceId, MonitorKind.Heartbeat,
            Heartbeat: new HeartbeatSpec(TimeSpan.FromMinutes(5), TimeSpan.Zero)));
        await _cluster.Advance(4 * Minute, Minute, () => _cluster.Deadlines.WhenIdle());
        Assert.True((await monitor.Status()).Up);
        await _cluster.Advance(Minute, Minute, () => _cluster.Deadlines.WhenIdle());
        var incident = (await MonitorSetup.Incident(_cluster, (await monitor.Status()).IncidentId))!;
        Assert.Contains("no ping yet", incident.Title);
    }
}
