namespace Escalation.Practice;

/// <summary>The events of one window, and how fast they burn the budget: 1 spends exactly the budget over the SLO's window.</summary>
public sealed record BurnWindow(TimeSpan Window, int Events, int Bad, double BurnRate);

/// <summary>A multi-window burn-rate rule: it pages when both windows burn faster than <paramref name="Threshold"/>.</summary>
public sealed record BurnRule(double Threshold, TimeSpan Long, TimeSpan Short);

/// <summary>
/// An acknowledgement SLO as it stands: the SLI and the budget left over its window, the burn rate over each alert
/// window, and whether a burn-rate rule fires (the Google SRE workbook's multi-window, multi-burn-rate alerts).
/// </summary>
/// <param name="BudgetLeft">1 when nothing was spent, 0 when all of it, below 0 when overspent.</param>
/// <param name="Firing">The rule that fires, the faster one first; null when none does.</param>
public sealed record SloStatus(
    AcknowledgementSlo Slo,
    int Events,
    int Good,
    double? Sli,
    double BudgetLeft,
    IReadOnlyList<BurnWindow> Windows,
    BurnRule? Firing)
{
    /// <summary>2 % of a 30-day budget spent in an hour, and 5 % in six hours.</summary>
    public static readonly IReadOnlyList<BurnRule> Rules =
    [
        new(14.4, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)),
        new(6, TimeSpan.FromHours(6), TimeSpan.FromMinutes(30)),
    ];

    public static SloStatus Of(AcknowledgementSlo slo, IReadOnlyList<SliEvent> events, DateTimeOffset now)
    {
        var inWindow = events.Where(e => e.At > now - slo.Window && e.At <= now).ToList();
        var good = inWindow.Count(e => e.Good);
        var bad = inWindow.Count - good;
        var windows = Rules.SelectMany(r => new[] { r.Long, r.Short }).Distinct().Order().Select(w => Window(slo, events, w, now)).ToList();
        var firing = Rules.FirstOrDefault(r =>
        {
            var longWindow = windows.Single(w => w.Window == r.Long);
            var shortWindow = windows.Single(w => w.Window == r.Short);
            return longWindow.Events >= slo.MinEvents && longWindow.BurnRate > r.Threshold && shortWindow.BurnRate > r.Threshold;
        });
        return new SloStatus(slo, inWindow.Count, good, inWindow.Count == 0 ? null : (double)good / inWindow.Count,
            BudgetLeftOf(slo, inWindow.Count, bad), windows, firing);
    }

    /// <summary>The budget is the share of the window's events that may be bad; with no events nothing is spent.</summary>
    public static double BudgetLeftOf(AcknowledgementSlo slo, int events, int bad) =>
        events == 0 ? 1 : 1 - bad / (slo.ErrorBudget * events);

    /// <summary>How fast a window's bad share spends the budget: its error rate over the budget's.</summary>
    public static double BurnRate(AcknowledgementSlo slo, int events, int bad) => events == 0 ? 0 : (double)bad / events / slo.ErrorBudget;

    /// <summary>The share of the whole budget a burn rate spends if it lasts <paramref name="lasting"/>: 14.4× for 1 h of 30 days is 2 %.</summary>
    public static double BudgetSpent(double burnRate, TimeSpan lasting, TimeSpan sloWindow) => burnRate * lasting / sloWindow;

    private static BurnWindow Window(AcknowledgementSlo slo, IReadOnlyList<SliEvent> events, TimeSpan window, DateTimeOffset now)
    {
        var within = events.Where(e => e.At > now - window && e.At <= now).ToList();
        var bad = within.Count(e => !e.Good);
        return new BurnWindow(window, within.Count, bad, Math.Round(BurnRate(slo, within.Count, bad), 4));
    }
}
