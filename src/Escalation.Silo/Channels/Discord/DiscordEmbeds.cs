using System.Globalization;
using System.Text.Json.Nodes;
using Escalation.Incidents;
using Escalation.Routing;

namespace Escalation.Silo.Channels.Discord;

/// <summary>
/// Renders an incident as a webhook message with one embed (no I/O), the same for its first post and every edit: the
/// message always shows the incident as it stands. Mentions are switched off: a post-only channel wakes nobody.
/// </summary>
public static class DiscordEmbeds
{
    // Discord's limits on an embed.
    private const int TitleMax = 256;
    private const int DescriptionMax = 4096;
    private const int FieldValueMax = 1024;
    private const int LinksMax = 10;

    public const int ResolvedColor = 0x2E7D32;

    /// <summary>The embed's colour by priority, P1 red to P4 blue; green once resolved.</summary>
    public static int ColorOf(Priority priority) => priority switch
    {
        Priority.P1 => 0xD32F2F,
        Priority.P2 => 0xF57C00,
        Priority.P3 => 0xFBC02D,
        _ => 0x1976D2,
    };

    /// <param name="serviceName">The service's name, or its id when it is gone.</param>
    /// <param name="incidentUrl">Where the incident is seen in this service.</param>
    public static JsonObject Message(IncidentState incident, string serviceName, string incidentUrl) => new()
    {
        ["embeds"] = new JsonArray(Embed(incident, serviceName, incidentUrl)),
        ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() },
    };

    public static JsonObject Embed(IncidentState incident, string serviceName, string incidentUrl)
    {
        var fields = new JsonArray(
            Field("Priority", incident.Priority.ToString(), inline: true),
            Field("Status", StatusName(incident.Status), inline: true),
            Field("Service", DiscordMarkdown.EscapeToFit(serviceName, FieldValueMax), inline: true));
        if (Links(incident) is { Length: > 0 } links) fields.Add(Field("Links", links, inline: false));
        return new JsonObject
        {
            ["title"] = $"[{incident.Priority}] " + DiscordMarkdown.EscapeToFit(incident.Title, TitleMax - 5),
            ["description"] = Description(incident),
            ["url"] = incidentUrl,
            ["color"] = incident.Status == IncidentStatus.Resolved ? ResolvedColor : ColorOf(incident.Priority),
            ["fields"] = fields,
            ["timestamp"] = incident.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        };
    }

    private static JsonObject Field(string name, string value, bool inline) => new()
    {
        ["name"] = name,
        ["value"] = value,
        ["inline"] = inline,
    };

    /// <summary>Who answered it, and where the alert came in.</summary>
    private static string Description(IncidentState incident)
    {
        var status = incident.Status switch
        {
            IncidentStatus.Resolved => By("Resolved", incident.ResolvedBy),
            IncidentStatus.Acknowledged => By("Acknowledged", incident.AcknowledgedBy),
            _ => "Triggered",
        };
        var from = DiscordMarkdown.EscapeToFit(IncidentText.EntryPoint(incident), DescriptionMax / 2);
        return $"{status}\nFrom {from}";
    }

    private static string By(string what, string? who) =>
        string.IsNullOrWhiteSpace(who) ? what : $"{what} by {DiscordMarkdown.EscapeToFit(who, 256)}";

    private static string StatusName(IncidentStatus status) => status switch
    {
        IncidentStatus.Acknowledged => "Acknowledged",
        IncidentStatus.Resolved => "Resolved",
        _ => "Triggered",
    };

    /// <summary>The alert's links, one a line, as many as fit in a field.</summary>
    private static string Links(IncidentState incident)
    {
        var lines = new List<string>();
        var length = 0;
        foreach (var (href, text) in IncidentText.Links(incident).Take(LinksMax))
        {
            var line = DiscordMarkdown.Link(href, DiscordMarkdown.Fit(text, 100));
            if (length + line.Length + 1 > FieldValueMax) break;
            lines.Add(line);
            length += line.Length + 1;
        }
        return string.Join("\n", lines);
    }
}
