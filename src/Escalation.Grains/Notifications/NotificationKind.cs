namespace Escalation.Notifications;

[GenerateSerializer, Alias("escalation.notification-kind")]
public enum NotificationKind
{
    /// <summary>A page to one person.</summary>
    Page,

    /// <summary>The incident posted in its service's Slack channel.</summary>
    ChannelPost,
}
