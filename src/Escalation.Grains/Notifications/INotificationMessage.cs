namespace Escalation.Notifications;

/// <summary>A message for a channel to deliver, identified so that it is delivered at most once.</summary>
public interface INotificationMessage
{
    string NotificationId { get; }

    /// <summary>The channel that delivers it: slack, sms, email or log.</summary>
    string Channel { get; }
}
