using Escalation.Alerts;
using Escalation.Configuration;
using Escalation.Deadlines;
using Escalation.Incidents;
using Escalation.Json;
using Microsoft.Extensions.Logging;

namespace Escalation.Monitors;

/// <summary>
/// A heartbeat or an HTTP check, on the deadline engine (its row's deadline is the next check, or when the heartbeat
/// is overdue), so monitors spread over the cluster and survive a restart. An HTTP check runs outside the grain's turn
/// (<see cref="IHttpChecker"/>) and reports back; only one runs at a time. The incident it opens and resolves goes
/// through its dedup key, so a call repeated after a crash adds to the same incident rather than opening another.
/// </summary>
public sealed class MonitorGrain(
    [PersistentState("monitor", GrainStates.Store)] IPersistentState<MonitorState> store,
    IEscalationDirectory directory,
    IHttpChecker checker,
    TimeProvider clock,
    ILogger<MonitorGrain> logger) : Grain, IMonitorGrain, IDeadlineOwner
{
    /// <summary>How long past its timeout a check that never reported (its silo died) is waited for before another starts.</summary>
    public static readonly TimeSpan LostCheckAfter = TimeSpan.FromSeconds(30);

    private MonitorState State => store.State;
    private string MonitorId => MonitorKeys.IdOf(this.GetPrimaryKeyString());
    private IAlertKeyGrain AlertFor(ServiceMonitor monitor) => GrainFactory.GetGrain<IAlertKeyGrain>(AlertKeys.For(monitor.ServiceId, $"monitor:{monitor.Id}"));

    public Task Watch() => this.Guarded(Check);

    public Task<NextDeadline> DeadlineDue() => this.Guarded(async () =>
    {
        await Check();
        return await store.Answer(State.NextDeadline);
    });

    public Task Beat() => this.Guarded(async () =>
    {
        if (await directory.LoadMonitor(MonitorId) is not { Type: MonitorKind.Heartbeat, Heartbeat: { } heartbeat } monitor) return;
        var now = clock.GetUtcNow();
        State.LastBeatAt = now;
        State.WatchingSince ??= now;
        if (State.IncidentId is not null)
        {
            await AlertFor(monitor).Resolve("monitor");
            logger.LogInformation("monitor.up monitor={MonitorId} incident={IncidentId}", MonitorId, State.IncidentId);
            State.IncidentId = null;
        }
        await store.WriteWith(now + heartbeat.Interval + heartbeat.Grace);
    });

    public Task CheckDone(CheckResult result) => this.Guarded(async () =>
    {
        if (State.CheckStartedAt != result.StartedAt) return;
        var monitor = await directory.LoadMonitor(MonitorId);
        State.CheckStartedAt = null;
        State.LastCheck = result;
        if (monitor is { Type: MonitorKind.Http, Http: { } http })
        {
            if (!result.Up) await ForgetIncidentResolvedMeanwhile();
            var (failures, turn) = CheckStreak.After(State.ConsecutiveFailures, State.IncidentId is not null, result.Up, http.FailuresBeforeOpen);
            State.ConsecutiveFailures = failures;
            if (turn == CheckStreak.Turn.Open) await Open(monitor, $"{failures} checks in a row failed: {Why(result)}");
            else if (turn == CheckStreak.Turn.Resolve) await Resolve(monitor);
        }
        await store.WriteWith(State.NextCheckAt);
    });

    public Task<MonitorStatus> Status() => Task.FromResult(new MonitorStatus(
        State.IncidentId is null, State.LastBeatAt, State.LastCheck, State.ConsecutiveFailures, State.IncidentId, State.NextDeadline));

    private async Task Check()
    {
        var now = clock.GetUtcNow();
        var monitor = await directory.LoadMonitor(MonitorId);
        if (monitor is null)
        {
            // Deleted: its row goes. Its open incident stays for people to resolve: nothing will say it is up again.
            if (store.RecordExists) await store.ClearStateAsync();
            return;
        }
        State.WatchingSince ??= now;
        if (monitor is { Type: MonitorKind.Http, Http: { } http })
        {
            var (next, start) = StartCheckIfDue(http, now);
            await store.WriteWith(next);
            // Started once the row says so: a check whose start was not written is never run.
            if (start) checker.Start(MonitorId, http, now);
            return;
        }
        await store.WriteWith(monitor.Heartbeat is { } heartbeat ? await CheckHeartbeat(monitor, heartbeat, now) : null);
    }

    /// <summary>
    /// Opens the incident once the pings are overdue. While down it looks again every interval and grace: if someone
    /// resolved the incident and the pings are still missing, it opens another.
    /// </summary>
    private async Task<DateTimeOffset?> CheckHeartbeat(ServiceMonitor monitor, HeartbeatSpec heartbeat, DateTimeOffset now)
    {
        var since = State.LastBeatAt ?? State.WatchingSince!.Value;
        var wait = heartbeat.Interval + heartbeat.Grace;
        if (now < since + wait) return since + wait;
        await ForgetIncidentResolvedMeanwhile();
        var last = State.LastBeatAt is { } beat ? $"last ping {beat:yyyy-MM-ddTHH:mm:ssZ}" : "no ping yet";
        await Open(monitor, $"no ping for {IsoDuration.Format(wait)} ({last}; expected every {IsoDuration.Format(heartbeat.Interval)})");
        return now + wait;
    }

    /// <summary>Someone resolved the monitor's incident while it is still down: the monitor opens another when it should.</summary>
    private async Task ForgetIncidentResolvedMeanwhile()
    {
        if (State.IncidentId is not { } id) return;
        if ((await GrainFactory.GetGrain<IIncidentGrain>(id).Get())?.Status is null or IncidentStatus.Resolved) State.IncidentId = null;
    }

    /// <summary>The next check when it is due and none is in flight; a check lost with its silo is given up after its timeout and <see cref="LostCheckAfter"/>.</summary>
    private (DateTimeOffset? Next, bool Start) StartCheckIfDue(HttpCheckSpec http, DateTimeOffset now)
    {
        if (State.CheckStartedAt is { } started)
        {
            var lostAt = started + http.Timeout + LostCheckAfter;
            if (now < lostAt) return (lostAt, false);
            logger.LogWarning("monitor.check_lost monitor={MonitorId} started={Started:O}: starting another", MonitorId, started);
        }
        State.NextCheckAt ??= now;
        if (now < State.NextCheckAt) return (State.NextCheckAt, false);
        State.CheckStartedAt = now;
        // The next one counts from this start, so a slow check does not stretch the interval.
        State.NextCheckAt = now + http.Interval;
        return (now + http.Timeout + LostCheckAfter, true);
    }

    private async Task Open(ServiceMonitor monitor, string why)
    {
        if (State.IncidentId is not null) return;
        var kind = monitor.Type == MonitorKind.Heartbeat ? "Heartbeat" : "Health check";
        var trigger = new IncidentTrigger(monitor.ServiceId, $"monitor:{monitor.Id}", $"{kind} {monitor.Name} is down: {why}", monitor.Severity,
            $"monitor:{monitor.Id}", null, null, "monitor", null, [], "monitor");
        State.IncidentId = await AlertFor(monitor).Trigger(trigger);
        logger.LogWarning("monitor.down monitor={MonitorId} incident={IncidentId}", MonitorId, State.IncidentId);
    }

    private async Task Resolve(ServiceMonitor monitor)
    {
        if (State.IncidentId is null) return;
        await AlertFor(monitor).Resolve("monitor");
        logger.LogInformation("monitor.up monitor={MonitorId} incident={IncidentId}", MonitorId, State.IncidentId);
        State.IncidentId = null;
    }

    private static string Why(CheckResult result) => result.Error ?? (result.Status is { } status ? $"HTTP {status}" : "no answer");
}
