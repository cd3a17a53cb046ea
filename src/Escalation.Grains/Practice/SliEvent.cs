using Escalation.Incidents;

namespace Escalation.Practice;

/// <summary>
/// One cycle of an incident measured against an acknowledgement SLO, at the moment its outcome became known: good at
/// its answer, bad at its answer or when the threshold passed unanswered, whichever came first.
/// </summary>
public sealed record SliEvent(string IncidentId, int Cycle, DateTimeOffset At, bool Good)
{
    /// <summary>The source of the incidents the SLO raises itself: they never count in their own SLI.</summary>
    public const string SloSource = "escalation-slo";

    public static IEnumerable<SliEvent> Of(IncidentState s, AcknowledgementSlo slo, DateTimeOffset now)
    {
        if (s.Priority != slo.Priority || s.Source == SloSource || s.Route.Action == Routing.RouteAction.RecordOnly) yield break;
        foreach (var cycle in ResponseCycles.Of(s))
        {
            var threshold = cycle.StartedAt + slo.Within;
            if (cycle.RespondedAt is { } answered) yield return new SliEvent(s.Id, cycle.Cycle, answered <= threshold ? answered : threshold, answered <= threshold);
            else if (threshold <= ResponseCycles.OpenUntil(s, cycle, now)) yield return new SliEvent(s.Id, cycle.Cycle, threshold, false);
        }
    }
}
