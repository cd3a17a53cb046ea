using Escalation.Logging;
using Escalation.Notifications;
using Microsoft.Extensions.Logging;

namespace Escalation.Silo.Channels.Log;

/// <summary>
/// The built-in <c>log</c> channel: a notification is a structured log line. It always works, so it also stands in
/// for a channel whose provider is not configured; the line then names the channel that was asked for.
/// </summary>
public sealed class LogChannel(ILogger<LogChannel> logger) : INotificationChannel
{
    public string Name => ChannelNames.Log;
    public bool Configured => true;

    public Task<DeliveryOutcome> SendPage(PageDelivery page, CancellationToken ct)
    {
        var p = page.Request;
        logger.LogInformation(
            "page.sent notification={NotificationId} incident={IncidentId} user={UserId} channel={Channel} via=log level={Level} loop={Loop} severity={Severity}: {Title}",
            LogText.Escape(p.NotificationId), p.IncidentId, LogText.Escape(p.Kind == NotificationKind.ChannelPost ? $"{p.Channel}:{p.Target}" : p.UserId),
            p.Channel, p.Level, p.Loop, LogText.Escape(p.Severity), LogText.Escape(p.Title));
        return Task.FromResult<DeliveryOutcome>(new DeliveryOutcome.Delivered(null));
    }

    public Task<DeliveryOutcome> SendAnnouncement(AnnouncementDelivery announcement, CancellationToken ct)
    {
        var a = announcement.Request;
        logger.LogInformation(
            "announcement.sent notification={NotificationId} {OwnerKind}={OwnerId} kind={Kind} to={Recipient} channel={Channel} via=log: {Text}",
            LogText.Escape(a.NotificationId), a.Owner switch { AnnouncementOwner.Rotation => "rotation", AnnouncementOwner.MaintenanceWindow => "maintenance_window", _ => "release" }, LogText.Escape(a.OwnerId), a.Kind, LogText.Escape(a.UserId ?? $"slack:{a.SlackChannel}"), a.Channel, LogText.Escape(a.Text));
        return Task.FromResult<DeliveryOutcome>(new DeliveryOutcome.Delivered(null));
    }
}
