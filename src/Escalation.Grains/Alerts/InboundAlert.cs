using Escalation.Incidents;

namespace Escalation.Alerts;

public enum AlertAction
{
    Trigger,
    Acknowledge,
    Resolve,
}

/// <summary>
/// One alert as any source sends it (Events v2, Alertmanager, Grafana, Sentry, Cloud Monitoring, a webhook mapping),
/// read into one shape before event rules, routing and dedup see it. <paramref name="Severity"/> is null when the
/// source said none: the rules, else "when in doubt, P1", decide then. <paramref name="Client"/> names the source
/// ("events-v2", "alertmanager", ...) and is the actor on the timeline.
/// </summary>
public sealed record InboundAlert(
    AlertAction Action,
    string? DedupKey,
    string Summary,
    Severity? Severity,
    string? Source,
    string Client,
    string? Component = null,
    string? Group = null,
    string? Class = null,
    string? DetailsJson = null,
    IReadOnlyDictionary<string, string>? Labels = null,
    IReadOnlyList<IncidentLink>? Links = null)
{
    public IReadOnlyDictionary<string, string> LabelsOrEmpty => Labels ?? new Dictionary<string, string>();
    public IReadOnlyList<IncidentLink> LinksOrEmpty => Links ?? [];
}
