using Escalation.Incidents;

namespace Escalation.Practice;

public static class ResponseCycles
{
    /// <summary>
    /// Until when an unanswered cycle waited for an answer: now while it is the incident's current one, its
    /// resolution once its source resolved it unanswered. A target it outlived was missed; one it did not is not measured.
    /// </summary>
    public static DateTimeOffset OpenUntil(IncidentState s, ResponseCycle cycle, DateTimeOffset now) =>
        cycle.Cycle != s.Cycle ? cycle.StartedAt
        : s.Status == IncidentStatus.Resolved ? s.ResolvedAt ?? now
        : s.Status == IncidentStatus.Triggered ? now
        : cycle.StartedAt;
}
