using Escalation.Notifications;

namespace Escalation.Incidents;

/// <summary>
/// What leaves an incident's state for its archive: the oldest timeline entries past the number it keeps, and the
/// oldest notifications past that number that nothing will look at again. Pure. Entries are numbered by their
/// position in the whole history (<see cref="FirstTimelineSeq"/> onwards), notifications by their archive order.
/// </summary>
public sealed record IncidentTrim(
    int FirstTimelineSeq, IReadOnlyList<TimelineEntry> Timeline, int FirstNotificationSeq, IReadOnlyList<NotificationRecord> Notifications)
{
    public bool IsEmpty => Timeline.Count == 0 && Notifications.Count == 0;

    public static IncidentTrim Of(IncidentState state, int keepTimeline, int keepNotifications)
    {
        var timeline = state.Timeline.Take(Math.Max(0, state.Timeline.Count - keepTimeline)).ToList();
        var notifications = state.Notifications.Where(n => Done(state, n))
            .Take(Math.Max(0, state.Notifications.Count - keepNotifications)).ToList();
        return new(state.TimelineArchived, timeline, state.NotificationsArchived, notifications);
    }

    /// <summary>Takes the trimmed entries out of the state (after they were archived).</summary>
    public void ApplyTo(IncidentState state)
    {
        state.Timeline.RemoveRange(0, Timeline.Count);
        var gone = Notifications.Select(n => n.Id).ToHashSet();
        state.Notifications.RemoveAll(n => gone.Contains(n.Id));
        state.TimelineArchived += Timeline.Count;
        state.NotificationsArchived += Notifications.Count;
    }

    /// <summary>
    /// Settled, and never looked at again: a notification of an earlier cycle, or a failed page of this cycle's earlier
    /// rounds of paging again (their ids carry the round, so none is made again). The Slack channel post stays: its
    /// thread is where every update goes. Pages of this cycle's first round stay: fallbacks and the rule for paging
    /// again read them, and their ids would be made again.
    /// </summary>
    private static bool Done(IncidentState state, NotificationRecord n) =>
        n.Status != NotificationStatus.Pending && n.Kind != NotificationKind.ChannelPost
        && (n.Cycle < state.Cycle || (n.Kind == NotificationKind.Page && n.Status == NotificationStatus.Failed && n.Retry > 0 && n.Retry < state.RetryRound));
}
