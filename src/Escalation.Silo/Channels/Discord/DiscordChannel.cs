using Escalation.Storage.Deliveries;
using Escalation.Logging;
using Escalation.Notifications;
using Escalation.Silo.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Channels.Discord;

/// <summary>
/// Discord, post-only: one message per incident in its route's Discord channel, through that channel's incoming
/// webhook, rewritten in place at each of the incident's turns. Nobody is paged on Discord.
/// </summary>
public sealed class DiscordChannel(
    DiscordClient discord, IOptions<DiscordOptions> options, PublicUrls urls, ISentMessages sent, TimeProvider clock, ILogger<DiscordChannel> logger)
    : INotificationChannel
{
    /// <summary>How often an update looks again while the post is still going out.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(1);

    /// <summary>Longer than a post's five attempts take: past it the update gives up waiting and does nothing.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    public string Name => ChannelNames.Discord;
    public bool Configured => options.Value.Configured;

    public Task<DeliveryOutcome> SendPage(PageDelivery page, CancellationToken ct) => page.Request.Kind switch
    {
        NotificationKind.ChannelPost => Post(page, ct),
        NotificationKind.DiscordUpdate => Update(page, ct),
        _ => Task.FromResult<DeliveryOutcome>(new DeliveryOutcome.Permanent("discord: post-only, nobody is paged on Discord")),
    };

    public Task<DeliveryOutcome> SendAnnouncement(AnnouncementDelivery announcement, CancellationToken ct) =>
        Task.FromResult<DeliveryOutcome>(new DeliveryOutcome.Permanent("discord: post-only, rotation announcements are not posted there"));

    private Task<DeliveryOutcome> Post(PageDelivery page, CancellationToken ct) =>
        WebhookOf(page.Address) is { } webhook
            ? discord.Execute(webhook, Message(page), ct)
            : Task.FromResult<DeliveryOutcome>(NotConfigured(page.Address));

    /// <summary>
    /// Rewrites the incident's post as the incident stands now. Only the incident's last update does: it shows every
    /// earlier turn as well, and an earlier one running late must not put an older picture back. A post not yet
    /// claimed needs nothing: it reads the incident after its claim; one being sent is waited for; one that never got
    /// to Discord, or was deleted there, is passed over.
    /// </summary>
    private async Task<DeliveryOutcome> Update(PageDelivery page, CancellationToken ct)
    {
        var incident = page.Incident;
        var update = incident.Notifications.Find(n => n.Id == page.Request.NotificationId);
        if (incident.Notifications.FindLast(n => n.Kind == NotificationKind.DiscordUpdate)?.Id != page.Request.NotificationId)
            return new DeliveryOutcome.Delivered(null);

        var postId = NotificationRecord.ChannelPostIdFor(incident.Id, ChannelNames.Discord);
        var post = (await sent.Messages(incident.Id, ChannelNames.Discord)).FirstOrDefault(m => m.NotificationId == postId);
        if (post is null) return new DeliveryOutcome.Delivered(null);
        if (post.Status == DeliveryStatus.Sending)
            return update is not null && clock.GetUtcNow() - update.CreatedAt > Patience
                ? new DeliveryOutcome.Delivered(null)
                : new DeliveryOutcome.Deferred(Wait);
        if (!post.IsAtProvider) return new DeliveryOutcome.Delivered(null);

        if (WebhookOf(page.Address) is not { } webhook) return NotConfigured(page.Address);
        var edited = await discord.Edit(webhook, post.ProviderMessageId!, Message(page), ct);
        if (edited is DeliveryOutcome.Delivered { ProviderMessageId: null })
            logger.LogInformation("Discord post {Message} of incident {IncidentId} is gone: not kept up to date",
                LogText.Escape(post.ProviderMessageId!), LogText.Escape(incident.Id));
        return edited;
    }

    private Uri? WebhookOf(string channel) => options.Value.WebhookFor(channel);

    /// <summary>A route may name a channel the settings do not have: the post fails, and the timeline says why.</summary>
    private static DeliveryOutcome.Permanent NotConfigured(string channel) =>
        new($"discord: no webhook for channel '{channel}': set {DiscordOptions.SettingFor(channel)}");

    private System.Text.Json.Nodes.JsonObject Message(PageDelivery page) =>
        DiscordEmbeds.Message(page.Incident, page.Service?.Name ?? page.Incident.ServiceId, urls.Incident(page.Incident.Id));
}
