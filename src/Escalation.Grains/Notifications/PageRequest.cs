namespace Escalation.Notifications;

/// <summary>The bus message that asks a channel to deliver one page, or the incident's post in a Slack channel (<paramref name="Target"/>).</summary>
public sealed record PageRequest(
    string NotificationId,
    string IncidentId,
    string ServiceId,
    string Title,
    string Severity,
    int Level,
    int Loop,
    string UserId,
    string Channel,
    NotificationKind Kind = NotificationKind.Page,
    string? Target = null,
    string? EventText = null) : INotificationMessage;
