using Escalation.Keys;

namespace Escalation.Monitors;

/// <param name="Up">False while the monitor has an incident open.</param>
[GenerateSerializer, Alias("escalation.monitor-status")]
public sealed record MonitorStatus(
    [property: Id(0)] bool Up,
    [property: Id(1)] DateTimeOffset? LastBeatAt,
    [property: Id(2)] CheckResult? LastCheck,
    [property: Id(3)] int ConsecutiveFailures,
    [property: Id(4)] string? IncidentId,
    [property: Id(5)] DateTimeOffset? NextDeadline);

/// <summary>One monitor, keyed by its id (<see cref="MonitorKeys"/>); its next check or heartbeat deadline is its row's deadline.</summary>
[Alias("escalation.IMonitorGrain")]
public interface IMonitorGrain : IGrainWithStringKey
{
    /// <summary>The monitor was written or deleted: look at it now (it is read uncached, so this sees the write).</summary>
    [Alias("watch")] Task Watch();

    /// <summary>A heartbeat ping: the monitor is up, and its deadline moves on.</summary>
    [Alias("beat")] Task Beat();

    /// <summary>An HTTP check this grain started has finished.</summary>
    [Alias("check-done")] Task CheckDone(CheckResult result);

    [Alias("status")] Task<MonitorStatus> Status();
}

public static class MonitorKeys
{
    public static string For(string monitorId) => GrainKey.Escape(monitorId);

    public static string IdOf(string key) => GrainKey.Unescape(key);
}
