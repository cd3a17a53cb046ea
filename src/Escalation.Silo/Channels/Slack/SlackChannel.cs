using Escalation.Storage.Deliveries;
using Escalation.Incidents;
using Escalation.Logging;
using Escalation.Notifications;
using Escalation.Silo.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Channels.Slack;

/// <summary>
/// Slack: a direct message with Acknowledge and Resolve buttons to each person paged, and one post in the service's
/// channel, which for a high-urgency incident is the declaration in the teams' fixed format.
/// </summary>
public sealed class SlackChannel(
    SlackClient slack, IOptions<SlackOptions> options, PublicUrls urls, ISentMessages sent, TimeProvider clock, ILogger<SlackChannel> logger)
    : INotificationChannel
{
    public string Name => ChannelNames.Slack;
    public bool Configured => options.Value.Configured;

    public Task<DeliveryOutcome> SendPage(PageDelivery page, CancellationToken ct) => page.Request.Kind switch
    {
        NotificationKind.SlackUpdate => Update(page, ct),
        NotificationKind.ChannelPost => slack.PostMessage(Post(page.Address, ChannelContent(page)), ct),
        NotificationKind.Reminder => slack.PostMessage(Post(page.Address, SlackIncidentMessages.Reminder(SlackIncidentOf(page), page.Request.EventText ?? "")), ct),
        _ => slack.PostMessage(Post(page.Address, SlackIncidentMessages.Page(SlackIncidentOf(page), page.Service?.Locale)), ct),
    };

    /// <summary>
    /// Rewrites every Slack message of the incident as it stands now, then tells the event in the channel post's thread
    /// (the resolution of a high-urgency incident in the recovery format). The rewrites go first: they are idempotent,
    /// so a retry after a transient failure repeats them, and the thread reply, which is not, is the last step. A
    /// message that cannot be rewritten for good (deleted, its DM closed) is passed over.
    /// </summary>
    private async Task<DeliveryOutcome> Update(PageDelivery page, CancellationToken ct)
    {
        var incident = page.Incident;
        var messages = await sent.Messages(incident.Id, ChannelNames.Slack);
        if (SlackUpdateGate.MustWait(page.Request.NotificationId, incident, messages, clock.GetUtcNow()))
            return new DeliveryOutcome.Deferred(SlackUpdateGate.Wait);

        var rendered = SlackIncidentOf(page);
        var channelPostId = NotificationRecord.ChannelPostIdFor(incident.Id);
        string? channelPost = null;
        DeliveryOutcome? transient = null, permanent = null;
        var rewrittenAny = false;
        foreach (var message in messages.Where(m => m.IsAtProvider && !IsUpdate(m.NotificationId) && !NotificationRecord.IsReminderId(m.NotificationId)))
        {
            if (message.ProviderMessageId!.Split('/') is not [var channel, var ts]) continue;
            var isPost = message.NotificationId == channelPostId;
            if (isPost) channelPost = message.ProviderMessageId;
            var content = isPost ? ChannelContent(page) : SlackIncidentMessages.Page(rendered, page.Service?.Locale);
            switch (await slack.UpdateMessage(channel, ts, content.Text, content.Blocks, ct))
            {
                case DeliveryOutcome.Transient t:
                    transient ??= t;
                    break;
                case DeliveryOutcome.Permanent p:
                    permanent ??= p;
                    logger.LogWarning("Slack message {Message} of notification {NotificationId} cannot be rewritten: {Error}",
                        LogText.Escape(message.ProviderMessageId), LogText.Escape(message.NotificationId), LogText.Escape(p.Error));
                    break;
                default:
                    rewrittenAny = true;
                    break;
            }
        }
        if (transient is not null) return transient;
        if (channelPost?.Split('/') is not [var postChannel, var postTs])
            return rewrittenAny || permanent is null ? new DeliveryOutcome.Delivered(null) : permanent;

        var service = page.Service;
        var reply = IsResolution(page) && incident.Urgency == Urgency.High
            ? SlackIncidentMessages.Recovery(rendered, service?.Locale ?? "en", service?.RecoveryTemplate)
            : new SlackContent(SlackMrkdwn.Escape(page.Request.EventText ?? ""), []);
        return await slack.PostMessage(new SlackPost(postChannel, reply.Text, reply.Blocks.Count > 0 ? reply.Blocks : null, postTs), ct);
    }

    private static bool IsUpdate(string notificationId) => notificationId.Contains("/slack-update/", StringComparison.Ordinal);

    /// <summary>
    /// Whether this update tells the resolution. Resolved is final, so that is the incident's last update once it is
    /// resolved; an earlier update that runs late (it waited for the channel post) tells its own turn.
    /// </summary>
    private static bool IsResolution(PageDelivery page) =>
        page.Incident.Status == IncidentStatus.Resolved
        && page.Incident.Notifications.FindLast(n => n.Kind == NotificationKind.SlackUpdate)?.Id == page.Request.NotificationId;

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
            IncidentText.EntryPoint(i), IncidentText.Links(i), CustomDetails(i), IncidentText.Status(i), IncidentText.StatusBy(i), urls.Incident(i.Id),
            i.Recovery, i.Priority.ToString());
    }

    private static System.Text.Json.Nodes.JsonObject? CustomDetails(IncidentState incident) =>
        incident.DetailsJson is { } json && System.Text.Json.Nodes.JsonNode.Parse(json) is System.Text.Json.Nodes.JsonObject details ? details : null;
}
