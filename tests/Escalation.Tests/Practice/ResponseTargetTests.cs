using Escalation.Alerts;
using Escalation.Incidents;
using Escalation.Maintenance;
using Escalation.Storage.Maintenance;
using Escalation.Notifications;
using Escalation.Practice;
using Escalation.Routing;
using Escalation.Tests.Grains;

namespace Escalation.Tests.Practice;

public sealed class ResponseTargetTests : IAsyncLifetime
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private EscalationCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await EscalationCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_P1_is_told_at_risk_at_80_percent_and_missed_at_100_in_the_timeline_and_the_thread()
    {
        await PracticeSetup.Load(_cluster.Store, statusUpdates: new StatusUpdatePolicy([]));
        var incident = await Trigger("api-down");
        Assert.Equal(ResponseTargets.DefaultP1, (await incident.Get())!.Targets);

        await _cluster.Advance(11 * Minute, Minute, incident, s => Assert.Empty(Marks(s)));
        await _cluster.Advance(Minute, Minute, incident);
        Assert.Equal(["target_warning: P1 first-response target at risk: not acknowledged PT12M (target PT15M)"], Marks((await incident.Get())!));
        await _cluster.Advance(3 * Minute, Minute, incident);
        var state = (await incident.Get())!;
        Assert.Equal("target_missed: P1 first-response target missed: not acknowledged within PT15M", Marks(state)[1]);
        foreach (var mark in state.Timeline.Where(e => e.Type.StartsWith("target_")))
            Assert.Contains(state.Notifications, n => n.Kind == NotificationKind.SlackUpdate && n.EventText == mark.Message);

        _cluster.Clock.Advance(Minute);
        await incident.Acknowledge("oncall", null);
        var times = ResponseTimes.Of((await incident.Get())!, _cluster.Clock.GetUtcNow());
        Assert.Equal((TimeSpan.FromMinutes(16), false), (times.TimeToAcknowledge!.Value, times.AcknowledgeTargetMet!.Value));

        // Recovery: at risk at 48 minutes, missed at the hour; resolving after that leaves it missed.
        await _cluster.Advance(31 * Minute, Minute, incident, s => Assert.Equal(2, Marks(s).Count));
        await _cluster.Advance(Minute, Minute, incident);
        Assert.Equal("target_warning: P1 recovery target at risk: open for PT48M (target PT1H)", Marks((await incident.Get())!)[2]);
        await _cluster.Advance(12 * Minute, Minute, incident);
        Assert.Equal("target_missed: P1 recovery target missed: not resolved within PT1H", Marks((await incident.Get())!)[3]);
        _cluster.Clock.Advance(5 * Minute);
        await incident.Resolve("oncall", null);
        state = (await incident.Get())!;
        times = ResponseTimes.Of(state, _cluster.Clock.GetUtcNow());
        Assert.Equal((TimeSpan.FromMinutes(65), false), (times.TimeToResolve!.Value, times.ResolveTargetMet!.Value));
        await _cluster.Advance(TimeSpan.FromHours(2), 10 * Minute, incident);
        Assert.Equal(4, Marks((await incident.Get())!).Count);
    }

    [Fact]
    public async Task An_answer_in_time_says_nothing_and_a_retriggered_cycle_is_measured_again()
    {
        await PracticeSetup.Load(_cluster.Store, statusUpdates: new StatusUpdatePolicy([]), acknowledgementTimeout: TimeSpan.FromMinutes(20),
            targets: new ResponseTargets(P1: new ResponseTarget(TimeSpan.FromMinutes(10), null)));
        var incident = await Trigger("db-latency");

        await _cluster.Advance(5 * Minute, Minute, incident);
        await incident.Acknowledge("oncall", null);
        // The acknowledgement times out at minute 25: cycle 2 starts, and its own 10 minutes run from then.
        await _cluster.Advance(20 * Minute, Minute, incident, s => Assert.Empty(Marks(s)));
        Assert.Equal(1, (await incident.Get())!.Cycle);
        await _cluster.Advance(7 * Minute, Minute, incident, s => Assert.Empty(Marks(s)));
        await _cluster.Advance(Minute, Minute, incident);
        var state = (await incident.Get())!;
        Assert.Equal(["target_warning: P1 first-response target at risk: not acknowledged PT8M since it was paged again (target PT10M)"], Marks(state));

        _cluster.Clock.Advance(Minute);
        await incident.Resolve("b1", null);
        var times = ResponseTimes.Of((await incident.Get())!, _cluster.Clock.GetUtcNow());
        Assert.Equal([(0, TimeSpan.FromMinutes(5), true, "oncall"), (1, TimeSpan.FromMinutes(9), true, "b1")],
            times.Cycles.Select(c => (c.Cycle, c.TimeToAcknowledge!.Value, c.Met!.Value, c.RespondedBy!)));
        Assert.True(times.AcknowledgeTargetMet);
        // No recovery target was set for P1 here.
        Assert.Null(times.ResolveTargetMet);
    }

    [Fact]
    public async Task An_alert_held_by_maintenance_is_measured_from_when_paging_starts()
    {
        await PracticeSetup.Load(_cluster.Store, statusUpdates: new StatusUpdatePolicy([]));
        var now = _cluster.Clock.GetUtcNow();
        await new MaintenanceWindowStore(_cluster.Db).Put(new MaintenanceWindow("mw-sunday", [OnCallSetup.ServiceId], "weekly", now.AddMinutes(-5),
            now.AddHours(1), null, "ops", now));
        var incident = await Trigger("during-maintenance");
        Assert.NotNull((await incident.Get())!.Held);

        // The hold ends at the hour: paging starts then, and so does the first-response clock (the recovery clock does not).
        await _cluster.Advance(TimeSpan.FromMinutes(61), Minute, incident);
        var released = (await incident.Get())!;
        Assert.Null(released.Held);
        Assert.Equal(["target_missed: P1 recovery target missed: not resolved within PT1H"], Marks(released));
        await _cluster.Advance(11 * Minute, Minute, incident);
        Assert.Equal("target_warning: P1 first-response target at risk: not acknowledged PT12M (target PT15M)", Marks((await incident.Get())!)[^1]);
    }

    [Fact]
    public async Task An_incident_its_source_resolves_is_not_counted_as_answered()
    {
        await PracticeSetup.Load(_cluster.Store, statusUpdates: new StatusUpdatePolicy([]));
        var incident = await Trigger("blip");
        _cluster.Clock.Advance(10 * Minute);
        await _cluster.Grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(OnCallSetup.ServiceId, "blip")).Resolve("alertmanager");
        var times = ResponseTimes.Of((await incident.Get())!, _cluster.Clock.GetUtcNow());
        Assert.Equal((null, null, true), (times.TimeToAcknowledge, times.AcknowledgeTargetMet, times.ResolveTargetMet));
    }

    [Fact]
    public async Task A_suppressed_alert_has_no_targets_and_P4_has_none_by_default()
    {
        await PracticeSetup.Load(_cluster.Store);
        var fyi = await Trigger("fyi", Priority.P4);
        var suppressed = await Trigger("noise", trigger: t => t with { SuppressedBy = "drop noise" });
        await _cluster.Advance(TimeSpan.FromHours(9), TimeSpan.FromHours(1), fyi);
        foreach (var incident in new[] { fyi, suppressed })
        {
            var state = (await incident.Get())!;
            Assert.Null(state.Targets);
            Assert.Empty(Marks(state));
        }
    }

    private async Task<IIncidentGrain> Trigger(string dedupKey, Priority? priority = null, Func<IncidentTrigger, IncidentTrigger>? trigger = null)
    {
        var t = OnCallSetup.TriggerFor(dedupKey) with { Priority = priority };
        if (trigger is not null) t = trigger(t);
        var id = await _cluster.Grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(OnCallSetup.ServiceId, dedupKey)).Trigger(t);
        return _cluster.Grains.GetGrain<IIncidentGrain>(id);
    }

    private static List<string> Marks(IncidentState s) =>
        [.. s.Timeline.Where(e => e.Type.StartsWith("target_", StringComparison.Ordinal)).Select(e => $"{e.Type}: {e.Message}")];
}
