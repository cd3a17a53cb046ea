using Escalation.Incidents;

namespace Escalation.Monitors;

[GenerateSerializer, Alias("escalation.monitor-kind")]
public enum MonitorKind
{
    /// <summary>A cron job or pipeline pings the monitor's URL; it goes down when the pings stop.</summary>
    Heartbeat,

    /// <summary>The service probes a URL itself, such as a /healthz, and goes down after consecutive failures.</summary>
    Http,
}

/// <summary>How often a heartbeat is expected, and how late it may be before the monitor opens an incident.</summary>
[GenerateSerializer, Alias("escalation.heartbeat-spec")]
public sealed record HeartbeatSpec([property: Id(0)] TimeSpan Interval, [property: Id(1)] TimeSpan Grace);

/// <summary>One HTTP probe: a request every <paramref name="Interval"/>, good when it answers <paramref name="ExpectedStatus"/> within <paramref name="Timeout"/>.</summary>
[GenerateSerializer, Alias("escalation.http-check-spec")]
public sealed record HttpCheckSpec(
    [property: Id(0)] string Url,
    [property: Id(1)] string Method,
    [property: Id(2)] int ExpectedStatus,
    [property: Id(3)] TimeSpan Interval,
    [property: Id(4)] TimeSpan Timeout,
    [property: Id(5)] int FailuresBeforeOpen);

/// <summary>
/// A monitor of a service: a heartbeat or an HTTP check. When it goes quiet (or fails) it opens an incident on
/// <paramref name="ServiceId"/> with <paramref name="Severity"/>; when it comes back it resolves it.
/// </summary>
[GenerateSerializer, Alias("escalation.service-monitor")]
public sealed record ServiceMonitor(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string ServiceId,
    [property: Id(3)] MonitorKind Type,
    [property: Id(4)] Severity Severity = Severity.Critical,
    [property: Id(5)] HeartbeatSpec? Heartbeat = null,
    [property: Id(6)] HttpCheckSpec? Http = null);
