using Escalation.Incidents;
using Escalation.Notifications;

namespace Escalation.Api.Incidents;

/// <summary>An incident as the API shows it: its state, with the older timeline and notifications its archive holds.</summary>
public sealed class IncidentHistory(IIncidentArchive archive)
{
    public async Task<IncidentView> View(IncidentState state) =>
        IncidentView.Of(state, state.TimelineArchived > 0 ? await archive.Timeline(state.Id) : []);

    public async Task<IReadOnlyList<NotificationRecord>> Notifications(IncidentState state) =>
        state.NotificationsArchived > 0 ? [.. await archive.Notifications(state.Id), .. state.Notifications] : state.Notifications;
}
