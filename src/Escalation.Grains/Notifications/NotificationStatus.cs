namespace Escalation.Notifications;

[GenerateSerializer, Alias("escalation.notification-status")]
public enum NotificationStatus
{
    Pending,
    Sent,
    Failed,
    /// <summary>Not sent: the incident was acknowledged, resolved or escalated before it was due.</summary>
    Cancelled,
}
