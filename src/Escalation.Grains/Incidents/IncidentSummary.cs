using Escalation.Escalations;
using Escalation.Routing;

namespace Escalation.Incidents;

/// <summary>The row an incident keeps current in the read model, for listing and filtering.</summary>
public sealed record IncidentSummary(
    string Id,
    string ServiceId,
    string DedupKey,
    string Title,
    Severity Severity,
    IncidentStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int AlertCount,
    EscalationPosition Position,
    DateTimeOffset? NextEscalationAt,
    long Version,
    Priority Priority = Priority.P1,
    RouteAction Route = RouteAction.Page)
{
    public static IncidentSummary Of(IncidentState s, DateTimeOffset now) => new(
        s.Id, s.ServiceId, s.DedupKey, s.Title, s.Severity, s.Status, s.CreatedAt, now, s.AlertCount, s.Position, s.EscalationDeadline, s.Version,
        s.Priority, s.SuppressedBy is null ? s.Route.Action : RouteAction.RecordOnly);
}
