namespace Escalation.Notifications;

/// <summary>The bus message that asks a channel to deliver one page.</summary>
public sealed record PageRequest(
    string NotificationId,
    string IncidentId,
    string ServiceId,
    string Title,
    string Severity,
    int Level,
    int Loop,
    string UserId,
    string Channel) : INotificationMessage;
