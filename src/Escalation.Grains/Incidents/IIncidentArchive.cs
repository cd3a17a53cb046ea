using Escalation.Notifications;

namespace Escalation.Incidents;

/// <summary>
/// Where an incident's older timeline entries and settled notifications go once its state holds more than it keeps
/// (<see cref="IncidentOptions.KeepTimelineEntries"/>, <see cref="IncidentOptions.KeepNotifications"/>): written in the
/// same batch as the state that leaves them out (<see cref="IIncidentStore"/>), read here.
/// </summary>
public interface IIncidentArchive
{
    Task<IReadOnlyList<TimelineEntry>> Timeline(string incidentId);

    Task<IReadOnlyList<NotificationRecord>> Notifications(string incidentId);
}
