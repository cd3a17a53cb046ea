using System.Text.Json.Nodes;
using Escalation.Incidents;

namespace Escalation.Silo.Channels.Slack;

/// <summary>
/// What Slack messages about an incident are rendered from. <paramref name="Status"/> is "triggered",
/// "acknowledged" or "resolved"; <paramref name="StatusBy"/> names who acknowledged or resolved it.
/// Everything but <paramref name="IncidentUrl"/> and the link hrefs is shown as text and escaped.
/// </summary>
public sealed record SlackIncident(
    string IncidentId,
    string Title,
    string Severity,
    bool HighUrgency,
    string ServiceName,
    string EntryPoint,
    IReadOnlyList<(string Href, string Text)> Links,
    JsonObject? CustomDetails,
    string Status,
    string? StatusBy,
    string IncidentUrl,
    Recovery? Recovery = null,
    string Priority = "P1")
{
    public bool IsAcknowledged => string.Equals(Status, "acknowledged", StringComparison.OrdinalIgnoreCase);

    public bool IsResolved => string.Equals(Status, "resolved", StringComparison.OrdinalIgnoreCase);
}
