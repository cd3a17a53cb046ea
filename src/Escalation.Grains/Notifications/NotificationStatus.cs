namespace Escalation.Notifications;

[GenerateSerializer, Alias("escalation.notification-status")]
public enum NotificationStatus
{
    Pending,
    Sent,
    Failed,
}
