namespace Escalation.Practice;

/// <summary>The one way the SLO is worked out from the stored incidents: by its grain, its endpoint and the postmortem.</summary>
public static class SloReading
{
    /// <summary>Far more incidents of one priority than a window holds; past it the oldest are left out, which only lowers the counts.</summary>
    public const int MaxIncidents = 10_000;

    public static async Task<SloStatus> Read(IServiceIncidents incidents, string serviceId, AcknowledgementSlo slo, DateTimeOffset now)
    {
        // A day more than the window: an incident opened before it may have had a cycle answered within it.
        var opened = await incidents.OpenedSince(serviceId, slo.Priority, now - slo.Window - TimeSpan.FromDays(1), MaxIncidents);
        return SloStatus.Of(slo, [.. opened.SelectMany(i => SliEvent.Of(i, slo, now))], now);
    }
}
