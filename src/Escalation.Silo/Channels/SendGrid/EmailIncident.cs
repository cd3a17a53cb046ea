namespace Escalation.Silo.Channels.SendGrid;

/// <summary>What a page email says about its incident. <paramref name="Links"/> are the alert source's own links (runbooks, dashboards).</summary>
public sealed record EmailIncident(
    string IncidentId,
    string Title,
    string Severity,
    string ServiceName,
    string Status,
    IReadOnlyList<(string Href, string Text)> Links,
    string IncidentUrl);
