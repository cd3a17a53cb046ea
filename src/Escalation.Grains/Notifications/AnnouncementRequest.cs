namespace Escalation.Notifications;

/// <summary>Which kind of grain an announcement comes from, and so which one hears how it went.</summary>
public enum AnnouncementOwner
{
    Rotation,
    MaintenanceWindow,
    ReleaseWatch,
}

/// <summary>
/// The bus message that asks a channel to deliver one announcement (a rotation's handoff, a maintenance window's start)
/// to a person or a team channel. <paramref name="OwnerId"/> is the rotation's or the window's id.
/// </summary>
public sealed record AnnouncementRequest(
    string NotificationId,
    string OwnerId,
    string Kind,
    string? UserId,
    string? SlackChannel,
    string Channel,
    string Text,
    AnnouncementOwner Owner = AnnouncementOwner.Rotation) : INotificationMessage
{
    /// <summary>"Rotation backend-weekly", "Maintenance window mw_…": what the announcement is about, for a subject line.</summary>
    public string About => Owner switch
    {
        AnnouncementOwner.Rotation => $"Rotation {OwnerId}",
        AnnouncementOwner.MaintenanceWindow => $"Maintenance window {OwnerId}",
        _ => $"Release {OwnerId}",
    };
}
