using System.Text.Json.Nodes;
using Escalation.Silo.Channels.Slack;

namespace Escalation.Tests.Channels.Slack;

internal static class Incidents
{
    public static SlackIncident Triggered(JsonObject? customDetails = null, IReadOnlyList<(string Href, string Text)>? links = null) => new(
        IncidentId: "inc-42",
        Title: "Checkout error rate above 5%",
        Severity: "critical",
        HighUrgency: true,
        ServiceName: "Payments",
        EntryPoint: "POST /checkout",
        Links: links ?? [("https://grafana.example/d/checkout", "Checkout dashboard"), ("https://logs.example/q?x=1&y=2", "Error logs")],
        CustomDetails: customDetails,
        Status: "triggered",
        StatusBy: null,
        IncidentUrl: "https://escalation.example/incidents/inc-42");

    public static SlackIncident Acknowledged(string by = "Aiko") => Triggered() with { Status = "acknowledged", StatusBy = by };

    public static SlackIncident Resolved(string by = "Aiko", JsonObject? customDetails = null) =>
        Triggered(customDetails) with { Status = "resolved", StatusBy = by };
}
