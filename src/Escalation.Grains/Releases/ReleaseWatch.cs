using Escalation.Incidents;

namespace Escalation.Releases;

/// <summary>
/// A production release to watch: <paramref name="ReleasedBy"/> (a user id, when it is one) and the service's channel
/// are asked to check the dashboards at T+25 and T+45 minutes. <paramref name="AlertSources"/> are the service's
/// integrations, named in the reminder.
/// </summary>
[GenerateSerializer, Alias("escalation.release-watch")]
public sealed record ReleaseWatch(
    [property: Id(0)] string ReleaseId,
    [property: Id(1)] string ServiceId,
    [property: Id(2)] string Summary,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string? ReleasedBy,
    [property: Id(5)] IReadOnlyList<string> AlertSources)
{
    /// <summary>The ops standard's checks after a production release.</summary>
    public static readonly IReadOnlyList<TimeSpan> Checks = [TimeSpan.FromMinutes(25), TimeSpan.FromMinutes(45)];

    /// <summary>An incident opened this long after a release is linked to it.</summary>
    public static TimeSpan Length => Checks[^1];

    public const string ProductionEnvironment = "production";

    /// <summary>A check this far past when the watch starts is not sent: it would arrive with the next one, out of its time.</summary>
    public static readonly TimeSpan LateBy = TimeSpan.FromMinutes(5);

    /// <summary>The reminder of the check at <paramref name="after"/>: what to look at, and the incidents opened since.</summary>
    public string Text(TimeSpan after, string serviceName, IReadOnlyList<IncidentLink> dashboards, int incidentsSince)
    {
        var look = dashboards.Count > 0 ? string.Join(", ", dashboards.Select(d => $"{d.Text ?? d.Href} ({d.Href})")) : "the service's dashboards (none configured)";
        var sources = AlertSources.Count > 0 ? string.Join(", ", AlertSources) : "none configured";
        var incidents = incidentsSince switch { 0 => "no incident opened since", 1 => "1 incident opened since", var n => $"{n} incidents opened since" };
        return $"Release check T+{after.TotalMinutes:0} for {serviceName}: \"{Summary}\" went to production at {At:yyyy-MM-ddTHH:mm}Z. " +
            $"Check {look}; alert sources: {sources}; {incidents}.";
    }
}
