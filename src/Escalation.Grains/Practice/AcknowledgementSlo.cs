using Escalation.Routing;

namespace Escalation.Practice;

/// <summary>
/// "99 % of P1 acknowledged within 15 minutes over 30 days": the share <paramref name="Objective"/> of the cycles of
/// <paramref name="Priority"/> answered within <paramref name="Within"/>, over <paramref name="Window"/>. Burn-rate alerts
/// need at least <paramref name="MinEvents"/> events in their long window, since with few incidents one late answer is a 100× burn.
/// </summary>
[GenerateSerializer, Alias("escalation.acknowledgement-slo")]
public sealed record AcknowledgementSlo(
    [property: Id(0)] Priority Priority,
    [property: Id(1)] double Objective,
    [property: Id(2)] TimeSpan Within,
    [property: Id(3)] TimeSpan Window,
    [property: Id(4)] int MinEvents = AcknowledgementSlo.DefaultMinEvents)
{
    public const int DefaultMinEvents = 5;
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    /// <summary>The share of events that may be bad: 0.01 for 99 %.</summary>
    public double ErrorBudget => 1 - Objective;
}
