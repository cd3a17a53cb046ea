using Escalation.Incidents;

namespace Escalation.Practice;

public static class ResponseCycles
{
    /// <summary>
    /// The incident's cycles. One stored before cycles were kept (and never paged again) is read as one cycle from
    /// its opening to its acknowledgement, so that older incidents still count in the reports.
    /// </summary>
    public static IReadOnlyList<ResponseCycle> Of(IncidentState s) =>
        s.Cycles.Count > 0 || s.Cycle > 0 ? s.Cycles
        : [new ResponseCycle { Cycle = 0, StartedAt = s.CreatedAt, RespondedAt = s.AcknowledgedAt, RespondedBy = s.AcknowledgedBy }];

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
