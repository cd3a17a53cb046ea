using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Silo.Notifications;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Channels.Slack;

/// <summary>
/// Slack: a direct message with Acknowledge and Resolve buttons to each person paged, and one post in the service's
/// channel, which for a high-urgency incident is the declaration in the teams' fixed format.
/// </summary>
public sealed class SlackChannel(SlackClient slack, IOptions<SlackOptions> options, PublicUrls urls, DeliveryLedger ledger) : INotificationChannel
{
    public string Name => ChannelNames.Slack;
    public bool Configured => options.Value.Configured;

    public Task<DeliveryOutcome> SendPage(PageDelivery page, CancellationToken ct) => page.Request.Kind switch
    {
        NotificationKind.SlackUpdate => Update(page, ct),
        NotificationKind.ChannelPost => slack.PostMessage(Post(page.Address, ChannelContent(page)), ct),
        _ => slack.PostMessage(Post(page.Address, SlackIncidentMessages.Page(SlackIncidentOf(page), page.Service?.Locale)), ct),
    };

    /// <summary>
    /// Rewrites every Slack message of the incident as it stands now, then tells the event in the channel post's thread
    /// (for a high-urgency incident resolved, in the recovery format). The rewrites go first: they are idempotent, so a
    /// retry after a failure repeats them, and the thread reply, which is not, is the last step.
    /// </summary>
    private async Task<DeliveryOutcome> Update(PageDelivery page, CancellationToken ct)
    {
        var incident = SlackIncidentOf(page);
        var channelPostId = NotificationRecord.ChannelPostIdFor(page.Incident.Id);
        string? channelPost = null;
        foreach (var (notificationId, message) in await ledger.SentMessages(page.Incident.Id, ChannelNames.Slack))
        {
            if (notificationId.Contains("/slack-update/") || message.Split('/') is not [var channel, var ts]) continue;
            var content = notificationId == channelPostId ? ChannelContent(page) : SlackIncidentMessages.Page(incident, page.Service?.Locale);
            if (notificationId == channelPostId) channelPost = message;
            var rewritten = await slack.UpdateMessage(channel, ts, content.Text, content.Blocks, ct);
            if (rewritten is not DeliveryOutcome.Delivered) return rewritten;
        }
        if (channelPost?.Split('/') is not [var postChannel, var postTs]) return new DeliveryOutcome.Delivered(null);

        var service = page.Service;
        var reply = page.Incident.Status == IncidentStatus.Resolved && page.Incident.Urgency == Urgency.High
            ? SlackIncidentMessages.Recovery(incident, service?.Locale ?? "en", service?.RecoveryTemplate)
            : new SlackContent(page.Request.EventText ?? "", []);
        return await slack.PostMessage(new SlackPost(postChannel, reply.Text, reply.Blocks.Count > 0 ? reply.Blocks : null, postTs), ct);
    }

    private SlackContent ChannelContent(PageDelivery page)
    {
        var incident = SlackIncidentOf(page);
        var service = page.Service;
        return page.Incident.Urgency == Urgency.High
            ? SlackIncidentMessages.Declaration(incident, service?.Locale ?? "en", service?.DeclarationTemplate)
            : SlackIncidentMessages.Plain(incident, service?.Locale);
    }

    private static SlackPost Post(string channel, SlackContent content) => new(channel, content.Text, content.Blocks);

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
