using Escalation.Api.Changes;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Storage.Changes;

namespace Escalation.Api.Incidents;

/// <summary>
/// An incident as the API shows it: its state, with the older timeline and notifications its archive holds, and the
/// changes to its service in the hour before it opened.
/// </summary>
public sealed class IncidentHistory(IIncidentArchive archive, ChangeEventStore changes, TimeProvider clock)
{
    public async Task<IncidentView> View(IncidentState state) =>
        IncidentView.Of(state, state.TimelineArchived > 0 ? await archive.Timeline(state.Id) : [],
            await changes.RecentBefore(state.ServiceId, state.CreatedAt), clock.GetUtcNow());

    public async Task<IReadOnlyList<NotificationRecord>> Notifications(IncidentState state) =>
        state.NotificationsArchived > 0 ? [.. await archive.Notifications(state.Id), .. state.Notifications] : state.Notifications;
}
