using Escalation.Incidents;

namespace Escalation.Practice;

/// <param name="Met">Whether the cycle was answered within the first-response target; null while that is not known yet, or without a target.</param>
public sealed record CycleResponse(int Cycle, DateTimeOffset StartedAt, DateTimeOffset? RespondedAt, string? RespondedBy, TimeSpan? TimeToAcknowledge, bool? Met);

/// <summary>
/// How fast an incident was answered and recovered, against its targets. <paramref name="TimeToAcknowledge"/> is the
/// first cycle's (PagerDuty's MTTA counts the first answer); each later cycle is measured again in <paramref name="Cycles"/>.
/// </summary>
/// <param name="AcknowledgeTargetMet">Whether every cycle was answered in time: false once one was not, null while one is still running.</param>
public sealed record ResponseTimes(
    ResponseTarget? Targets,
    IReadOnlyList<CycleResponse> Cycles,
    TimeSpan? TimeToAcknowledge,
    TimeSpan? TimeToResolve,
    bool? AcknowledgeTargetMet,
    bool? ResolveTargetMet)
{
    public static ResponseTimes Of(IncidentState s, DateTimeOffset now)
    {
        var ack = s.Targets?.Acknowledge;
        var cycles = ResponseCycles.Of(s).Select(c =>
        {
            var taken = c.RespondedAt - c.StartedAt;
            bool? met = ack is not { } target ? null
                : taken is { } t ? t <= target
                : ResponseCycles.OpenUntil(s, c, now) - c.StartedAt > target ? false
                : null;
            return new CycleResponse(c.Cycle, c.StartedAt, c.RespondedAt, c.RespondedBy, taken, met);
        }).ToList();
        var ttr = s.ResolvedAt - s.CreatedAt;
        bool? resolveMet = s.Targets?.Resolve is not { } resolve ? null
            : ttr is { } r ? r <= resolve
            : now - s.CreatedAt > resolve ? false
            : null;
        bool? ackMet = ack is null || cycles.Count == 0 ? null
            : cycles.Exists(c => c.Met == false) ? false
            : cycles.TrueForAll(c => c.Met == true) ? true
            : null;
        return new ResponseTimes(s.Targets, cycles, cycles.FirstOrDefault()?.TimeToAcknowledge, ttr, ackMet, resolveMet);
    }
}
