using Escalation.Incidents;
using Escalation.Notifications;

namespace Escalation.Tests.Domain;

public sealed class IncidentTrimTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_oldest_timeline_entries_past_the_limit_leave_numbered_by_their_place_in_the_whole_timeline()
    {
        var state = new IncidentState { TimelineArchived = 10 };
        for (var i = 0; i < 5; i++) state.Timeline.Add(new TimelineEntry(At.AddMinutes(i), "alert", "m", $"#{i}"));

        var trim = IncidentTrim.Of(state, keepTimeline: 3, keepNotifications: 100);
        Assert.Equal(10, trim.FirstTimelineSeq);
        Assert.Equal(["#0", "#1"], trim.Timeline.Select(e => e.Message));

        trim.ApplyTo(state);
        Assert.Equal(["#2", "#3", "#4"], state.Timeline.Select(e => e.Message));
        Assert.Equal(12, state.TimelineArchived);
    }

    [Fact]
    public void Only_notifications_nothing_looks_at_again_leave()
    {
        var state = new IncidentState { Cycle = 2, RetryRound = 3 };
        state.Notifications.AddRange(
        [
            Record("post", 0, NotificationStatus.Sent, NotificationKind.ChannelPost),
            Record("old-sent", 0, NotificationStatus.Sent),
            Record("old-pending", 1, NotificationStatus.Pending),
            Record("first-round-failed", 2, NotificationStatus.Failed),
            Record("earlier-retry-failed", 2, NotificationStatus.Failed, retry: 1),
            Record("latest-retry-failed", 2, NotificationStatus.Failed, retry: 3),
            Record("old-update", 1, NotificationStatus.Sent, NotificationKind.SlackUpdate),
        ]);

        var trim = IncidentTrim.Of(state, keepTimeline: 100, keepNotifications: 0);
        Assert.Equal(["old-sent", "earlier-retry-failed", "old-update"], trim.Notifications.Select(n => n.Id));

        Assert.Equal(["old-sent"], IncidentTrim.Of(state, keepTimeline: 100, keepNotifications: 6).Notifications.Select(n => n.Id));
        Assert.True(IncidentTrim.Of(state, keepTimeline: 100, keepNotifications: 7).IsEmpty);
    }

    private static NotificationRecord Record(string id, int cycle, NotificationStatus status, NotificationKind kind = NotificationKind.Page, int retry = 0) => new()
    {
        Id = id, Kind = kind, Level = 1, Loop = 0, Cycle = cycle, UserId = "u", Channel = "slack", Status = status, CreatedAt = At, Retry = retry,
    };
}
