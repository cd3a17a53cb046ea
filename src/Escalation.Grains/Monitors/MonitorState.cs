using Escalation.Deadlines;

namespace Escalation.Monitors;

[GenerateSerializer, Alias("escalation.monitor-state")]
public sealed class MonitorState : IHasNextDeadline
{
    [Id(0)] public DateTimeOffset? NextDeadline { get; set; }
    /// <summary>Since when the monitor watches: the heartbeat's first deadline counts from here until the first ping.</summary>
    [Id(1)] public DateTimeOffset? WatchingSince { get; set; }
    [Id(2)] public DateTimeOffset? LastBeatAt { get; set; }
    /// <summary>The incident open because the monitor is down; null while it is up.</summary>
    [Id(3)] public string? IncidentId { get; set; }
    [Id(4)] public int ConsecutiveFailures { get; set; }
    [Id(5)] public CheckResult? LastCheck { get; set; }
    /// <summary>The check in flight, if one is: another is not started until it reports or its time is long past.</summary>
    [Id(6)] public DateTimeOffset? CheckStartedAt { get; set; }
    [Id(7)] public DateTimeOffset? NextCheckAt { get; set; }
}
