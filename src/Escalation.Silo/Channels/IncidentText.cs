using Escalation.Incidents;

namespace Escalation.Silo.Channels;

/// <summary>The few facts of an incident that every channel's message is written from.</summary>
public static class IncidentText
{
    public static string Severity(IncidentState incident) => incident.Severity.ToString().ToLowerInvariant();

    public static string Status(IncidentState incident) => incident.Status.ToString().ToLowerInvariant();

    public static string? StatusBy(IncidentState incident) => incident.Status switch
    {
        IncidentStatus.Acknowledged => incident.AcknowledgedBy,
        IncidentStatus.Resolved => incident.ResolvedBy,
        _ => null,
    };

    /// <summary>Where the alert came in: the monitoring source and component, as the Events API named them.</summary>
    public static string EntryPoint(IncidentState incident) =>
        string.Join(" / ", new[] { incident.Source, incident.Component, incident.Class }.Where(s => !string.IsNullOrWhiteSpace(s)))
            is { Length: > 0 } named ? named : "Events API v2";

    public static IReadOnlyList<(string Href, string Text)> Links(IncidentState incident) =>
        incident.Links.Select(l => (l.Href, string.IsNullOrWhiteSpace(l.Text) ? l.Href : l.Text!)).ToList();
}
