using Escalation.Incidents;
using Escalation.Json;

namespace Escalation.Practice;

/// <summary>
/// When an incident's response targets are about to be missed and when they are missed. The first-response target
/// runs per cycle while nobody has answered it; the recovery target runs from the opening until the resolution.
/// </summary>
public static class ResponseClock
{
    /// <summary>The share of a target gone when it is told as at risk.</summary>
    public const double WarnAt = 0.8;

    /// <summary>The earliest mark not noted yet of the targets still running.</summary>
    public static DateTimeOffset? Next(IncidentState s) => Running(s).Where(m => !Noted(s, m)).Min(m => (DateTimeOffset?)m.At);

    /// <summary>
    /// The marks due by <paramref name="now"/> and not noted yet, in time order. When a target's miss is due its
    /// warning is not told any more (after an outage, or a hold): only the miss, which settles both.
    /// </summary>
    public static IReadOnlyList<TargetMark> Due(IncidentState s, DateTimeOffset now)
    {
        var due = Running(s).Where(m => m.At <= now && !Noted(s, m)).ToList();
        due.RemoveAll(warning => warning.Type == "target_warning" && due.Exists(miss => miss.Type == "target_missed" && miss.Covers.Contains(warning.Covers[0])));
        return [.. due.OrderBy(m => m.At)];
    }

    private static bool Noted(IncidentState s, TargetMark mark) => mark.Covers.All(s.TargetsNoted.Contains);

    private static IEnumerable<TargetMark> Running(IncidentState s)
    {
        if (s.Targets is not { } targets) yield break;
        var priority = s.Priority.ToString();
        if (targets.Acknowledge is { } ack && s.Status == IncidentStatus.Triggered
            && s.Cycles.Find(c => c.Cycle == s.Cycle) is { RespondedAt: null } cycle)
        {
            // Keyed by priority too: after a change of priority its own targets are told.
            var key = $"{priority}/acknowledge/{cycle.Cycle}";
            var since = cycle.Cycle > 0 ? " since it was paged again" : "";
            var warnAfter = Of(ack, WarnAt);
            yield return new TargetMark(cycle.StartedAt + warnAfter, "target_warning",
                $"{priority} first-response target at risk: not acknowledged {IsoDuration.Format(warnAfter)}{since} (target {IsoDuration.Format(ack)})", [$"{key}/warning"]);
            yield return new TargetMark(cycle.StartedAt + ack, "target_missed",
                $"{priority} first-response target missed: not acknowledged within {IsoDuration.Format(ack)}{since}", [$"{key}/warning", $"{key}/missed"]);
        }
        if (targets.Resolve is { } resolve && s.Status != IncidentStatus.Resolved)
        {
            var warnAfter = Of(resolve, WarnAt);
            yield return new TargetMark(s.CreatedAt + warnAfter, "target_warning",
                $"{priority} recovery target at risk: open for {IsoDuration.Format(warnAfter)} (target {IsoDuration.Format(resolve)})", [$"{priority}/resolve/warning"]);
            yield return new TargetMark(s.CreatedAt + resolve, "target_missed",
                $"{priority} recovery target missed: not resolved within {IsoDuration.Format(resolve)}", [$"{priority}/resolve/warning", $"{priority}/resolve/missed"]);
        }
    }

    /// <summary>A share of a duration, to the whole second, so that the timeline says PT12M rather than PT11M59.99S.</summary>
    private static TimeSpan Of(TimeSpan target, double share) => TimeSpan.FromSeconds(Math.Round(target.TotalSeconds * share));
}
