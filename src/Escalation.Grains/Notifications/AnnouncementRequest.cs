namespace Escalation.Notifications;

/// <summary>The bus message that asks a channel to deliver one rotation announcement to a person or a team channel.</summary>
public sealed record AnnouncementRequest(
    string NotificationId,
    string RotationId,
    string Kind,
    string? UserId,
    string? SlackChannel,
    string Channel,
    string Text) : INotificationMessage;
