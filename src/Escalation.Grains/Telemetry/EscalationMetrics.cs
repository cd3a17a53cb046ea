using System.Diagnostics.Metrics;

namespace Escalation.Telemetry;

/// <summary>
/// The service's own instruments, on one meter that <c>/metrics</c> exports. Counts are recorded once a change is
/// durable (after the write that made it), so a command that failed counts nothing. Labels are bounded: service ids,
/// priorities, channels and outcomes, never user text.
/// </summary>
public sealed class EscalationMetrics
{
    public const string MeterName = "Escalation";

    private readonly Counter<long> _events;
    private readonly Counter<long> _opened;
    private readonly Counter<long> _acknowledged;
    private readonly Counter<long> _resolved;
    private readonly Histogram<double> _acknowledgement;
    private readonly Counter<long> _notifications;
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _providerErrors;
    private readonly Histogram<double> _pageLatency;
    private readonly Histogram<double> _deadlineLateness;

    public EscalationMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _events = Meter.CreateCounter<long>("escalation.events", "{event}",
            "Alert requests taken in or turned away, by source (events_v2 or the integration's type), outcome and reason.");
        _opened = Meter.CreateCounter<long>("escalation.incidents.opened", "{incident}", "Incidents opened, by service and priority.");
        _acknowledged = Meter.CreateCounter<long>("escalation.incidents.acknowledged", "{incident}", "Incidents acknowledged, by service and priority.");
        _resolved = Meter.CreateCounter<long>("escalation.incidents.resolved", "{incident}", "Incidents resolved, by service and priority.");
        _acknowledgement = Meter.CreateHistogram<double>("escalation.acknowledgement.duration", "s",
            "From the start of an incident's cycle to its acknowledgement, by priority.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400] });
        _notifications = Meter.CreateCounter<long>("escalation.notifications", "{notification}",
            "Notifications settled, by channel, kind (page, channel_post, ...) and outcome (sent, failed, cancelled).");
        _attempts = Meter.CreateCounter<long>("escalation.notification.attempts", "{attempt}",
            "Calls to providers, by channel and outcome (delivered, transient, permanent).");
        _providerErrors = Meter.CreateCounter<long>("escalation.provider.errors", "{error}",
            "Failed provider calls, by channel and code (an HTTP status, timeout, unreachable, refused or other).");
        _pageLatency = Meter.CreateHistogram<double>("escalation.page.latency", "s",
            "From a page falling due (the trigger for the first page, the escalation for later ones) to its provider accepting it, by channel.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300] });
        _deadlineLateness = Meter.CreateHistogram<double>("escalation.deadline.lateness", "s",
            "How long after its instant a deadline's owner was called.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60] });
    }

    /// <summary>The meter itself, for the gauges the silo observes (queue depths, open incidents).</summary>
    public Meter Meter { get; }

    public void Event(string source, string outcome, string reason) =>
        _events.Add(1, new("source", source), new("outcome", outcome), new("reason", reason));

    public void Opened(string serviceId, string priority) => _opened.Add(1, new("service", serviceId), new("priority", priority));

    public void Acknowledged(string serviceId, string priority, TimeSpan sinceCycleStart)
    {
        _acknowledged.Add(1, new("service", serviceId), new("priority", priority));
        _acknowledgement.Record(Math.Max(0, sinceCycleStart.TotalSeconds), new KeyValuePair<string, object?>("priority", priority));
    }

    public void Resolved(string serviceId, string priority) => _resolved.Add(1, new("service", serviceId), new("priority", priority));

    public void Notification(string channel, string kind, string outcome) =>
        _notifications.Add(1, new("channel", channel), new("kind", kind), new("outcome", outcome));

    public void Attempt(string channel, string outcome) => _attempts.Add(1, new("channel", channel), new("outcome", outcome));

    public void ProviderError(string channel, string code) => _providerErrors.Add(1, new("channel", channel), new("code", code));

    public void PageLatency(string channel, TimeSpan latency) =>
        _pageLatency.Record(Math.Max(0, latency.TotalSeconds), new KeyValuePair<string, object?>("channel", channel));

    public void DeadlineLateness(TimeSpan lateness) => _deadlineLateness.Record(Math.Max(0, lateness.TotalSeconds));
}
