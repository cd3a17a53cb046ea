using Escalation.Alerts;
using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Practice;
using Escalation.Routing;
using Escalation.Storage.Configuration;
using Escalation.Tests.Grains;

namespace Escalation.Tests.Practice;

public sealed class SloAlertTests : IAsyncLifetime
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly AcknowledgementSlo Slo = new(Priority.P1, 0.99, TimeSpan.FromMinutes(15), TimeSpan.FromDays(30));
    private EscalationCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await EscalationCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Five_P1s_unanswered_past_15_minutes_open_one_P2_on_the_service_that_resolves_when_the_burn_stops()
    {
        await OnCallSetup.Load(_cluster.Store);
        await _cluster.Store.Put(ConfigurationStore.Tables.Services, OnCallSetup.ServiceId,
            new Service(OnCallSetup.ServiceId, "Checkout", "default", "0123456789abcdef0123456789abcdef", null,
                ResponseTargets: OnCallSetup.NoTargets, StatusUpdates: new StatusUpdatePolicy([]), AcknowledgementSlo: Slo));
        var slo = _cluster.Grains.GetGrain<ISloGrain>(SloKeys.For(OnCallSetup.ServiceId));
        await slo.Watch(declared: true);

        var p1s = new List<IIncidentGrain>();
        for (var i = 0; i < 5; i++) p1s.Add(await Trigger($"p1-{i}"));
        // One answered in time: four bad of five is still an 80x burn.
        _cluster.Clock.Advance(5 * Minute);
        await p1s[0].Acknowledge("oncall", null);
        await _cluster.Advance(9 * Minute, Minute, () => _cluster.Deadlines.WhenIdle());
        Assert.Null(await slo.AlertIncident());

        await _cluster.Advance(2 * Minute, Minute, () => _cluster.Deadlines.WhenIdle());
        var alertId = await slo.AlertIncident();
        Assert.NotNull(alertId);
        var alert = (await _cluster.Grains.GetGrain<IIncidentGrain>(alertId!).Get())!;
        Assert.Equal((OnCallSetup.ServiceId, Priority.P2, SliEvent.SloSource), (alert.ServiceId, alert.Priority, alert.Source));
        Assert.StartsWith("Checkout: acknowledgement SLO burning 80x over PT1H (99% of P1 within PT15M", alert.Title);
        Assert.Contains("budget left", alert.Title);

        // Still burning a minute later: the same incident, not another.
        await _cluster.Advance(Minute, Minute, () => _cluster.Deadlines.WhenIdle());
        Assert.Equal(alertId, await slo.AlertIncident());
        Assert.Equal(1, (await _cluster.Grains.GetGrain<IIncidentGrain>(alertId!).Get())!.AlertCount);

        // The fast rule stops five minutes after the late answers, the slow one (six hours and thirty minutes) thirty
        // minutes after: then the incident is resolved.
        await _cluster.Advance(40 * Minute, 5 * Minute, () => _cluster.Deadlines.WhenIdle());
        Assert.Null(await slo.AlertIncident());
        Assert.Equal(IncidentStatus.Resolved, (await _cluster.Grains.GetGrain<IIncidentGrain>(alertId!).Get())!.Status);
    }

    [Fact]
    public async Task A_service_that_drops_its_SLO_stops_being_watched_after_a_second_look()
    {
        await OnCallSetup.Load(_cluster.Store);
        var slo = _cluster.Grains.GetGrain<ISloGrain>(SloKeys.For(OnCallSetup.ServiceId));
        await _cluster.Store.Put(ConfigurationStore.Tables.Services, OnCallSetup.ServiceId,
            new Service(OnCallSetup.ServiceId, "Checkout", "default", "0123456789abcdef0123456789abcdef", null, AcknowledgementSlo: Slo));
        await slo.Watch(declared: true);
        Assert.Equal(1L, await Rows());

        await OnCallSetup.Load(_cluster.Store);
        await _cluster.Advance(3 * Minute, Minute, () => _cluster.Deadlines.WhenIdle());
        Assert.Equal(0L, await Rows());
    }

    private async Task<long> Rows()
    {
        await using var cmd = _cluster.Db.CreateCommand("SELECT count(*) FROM grain_states WHERE grain_id LIKE '%slo%'");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<IIncidentGrain> Trigger(string dedupKey)
    {
        var id = await _cluster.Grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(OnCallSetup.ServiceId, dedupKey)).Trigger(OnCallSetup.TriggerFor(dedupKey));
        return _cluster.Grains.GetGrain<IIncidentGrain>(id);
    }
}
