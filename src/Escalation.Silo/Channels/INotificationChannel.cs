namespace Escalation.Silo.Channels;

/// <summary>
/// One way of reaching people. A channel only talks to its provider: claiming, retrying, recording and
/// reporting are the <see cref="Notifications.DeliveryPipeline"/>'s, the same for every channel.
/// </summary>
public interface INotificationChannel
{
    string Name { get; }

    /// <summary>False when its credentials are not configured: its notifications are written to the log instead.</summary>
    bool Configured { get; }

    Task<DeliveryOutcome> SendPage(PageDelivery page, CancellationToken ct);

    Task<DeliveryOutcome> SendAnnouncement(AnnouncementDelivery announcement, CancellationToken ct);
}
