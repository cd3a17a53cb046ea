using Escalation.Notifications;

namespace Escalation.Incidents;

/// <summary>
/// Where an incident's older timeline entries and settled notifications go once its state holds more than it keeps
/// (<see cref="IncidentOptions.KeepTimelineEntries"/>, <see cref="IncidentOptions.KeepNotifications"/>). Appends are
/// idempotent by position, so an append whose state write then failed is simply made again.
/// </summary>
public interface IIncidentArchive
{
    Task Append(string incidentId, IncidentTrim trim);

    Task<IReadOnlyList<TimelineEntry>> Timeline(string incidentId);

    Task<IReadOnlyList<NotificationRecord>> Notifications(string incidentId);
}
