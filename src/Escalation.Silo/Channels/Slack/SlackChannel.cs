using Escalation.Incidents;
using Escalation.Notifications;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Channels.Slack;

/// <summary>
/// Slack: a direct message with Acknowledge and Resolve buttons to each person paged, and one post in the service's
/// channel, which for a high-urgency incident is the declaration in the teams' fixed format.
/// </summary>
public sealed class SlackChannel(SlackClient slack, IOptions<SlackOptions> options, PublicUrls urls) : INotificationChannel
{
    public string Name => ChannelNames.Slack;
    public bool Configured => options.Value.Configured;

    public Task<DeliveryOutcome> SendPage(PageDelivery page, CancellationToken ct)
    {
        var incident = SlackIncidentOf(page);
        var service = page.Service;
        var content = page.Request.Kind switch
        {
            NotificationKind.ChannelPost when page.Incident.Urgency == Urgency.High =>
                SlackIncidentMessages.Declaration(incident, service?.Locale ?? "en", service?.DeclarationTemplate),
            NotificationKind.ChannelPost => SlackIncidentMessages.Plain(incident),
            _ => SlackIncidentMessages.Page(incident),
        };
        return slack.PostMessage(new SlackPost(page.Address, content.Text, content.Blocks), ct);
    }

    public Task<DeliveryOutcome> SendAnnouncement(AnnouncementDelivery announcement, CancellationToken ct) =>
        slack.PostMessage(new SlackPost(announcement.Address, announcement.Request.Text, null), ct);

    private SlackIncident SlackIncidentOf(PageDelivery page)
    {
        var i = page.Incident;
        return new SlackIncident(i.Id, i.Title, IncidentText.Severity(i), i.Urgency == Urgency.High, page.Service?.Name ?? i.ServiceId,
            IncidentText.EntryPoint(i), IncidentText.Links(i), CustomDetails(i), IncidentText.Status(i), IncidentText.StatusBy(i), urls.Incident(i.Id));
    }

    private static System.Text.Json.Nodes.JsonObject? CustomDetails(IncidentState incident) =>
        incident.DetailsJson is { } json && System.Text.Json.Nodes.JsonNode.Parse(json) is System.Text.Json.Nodes.JsonObject details ? details : null;
}
