using Escalation.Incidents;
using Escalation.Notifications;

namespace Escalation.Routing;

/// <summary>
/// What becomes of an alert: the service it goes to, its priority and why, the severity it shows, its urgency, links a
/// rule added, and whether a rule suppressed it. <paramref name="Route"/> is what the priority does on that service.
/// </summary>
public sealed record AlertDecision(
    string ServiceId,
    Priority Priority,
    string PriorityReason,
    Severity Severity,
    Urgency Urgency,
    PriorityRoute Route,
    IReadOnlyList<IncidentLink> AddedLinks,
    bool Suppressed,
    IReadOnlyList<RuleMatch> Matched);
