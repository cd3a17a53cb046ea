using Escalation.Configuration;
using Escalation.Escalations;
using Escalation.Notifications;

namespace Escalation.Tests.Domain;

public sealed class NobodyReachedRuleTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 15)]
    [InlineData(2, 30)]
    [InlineData(3, 60)]
    [InlineData(4, 60)]
    [InlineData(100, 60)]
    public void The_gap_doubles_from_the_first_and_never_exceeds_the_longest(int round, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), NobodyReached.Gap(round, TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(1)));

    [Fact]
    public void Nobody_is_reached_only_while_every_page_of_the_cycle_failed()
    {
        List<NotificationRecord> pages = [Page("a", 0, NotificationStatus.Failed), Page("b", 0, NotificationStatus.Failed)];
        Assert.True(NobodyReached.In(pages, 0));

        pages.Add(Page("c", 0, NotificationStatus.Pending));
        Assert.False(NobodyReached.In(pages, 0)); // still on its way

        pages[2] = Page("c", 0, NotificationStatus.Sent);
        Assert.False(NobodyReached.In(pages, 0));
        Assert.True(NobodyReached.In(pages, 1)); // a new cycle has paged nobody yet
    }

    [Fact]
    public void A_Slack_channel_post_that_went_out_is_not_a_person_reached()
    {
        var post = Page("", 0, NotificationStatus.Sent) with { Kind = NotificationKind.ChannelPost };
        Assert.True(NobodyReached.In([post, Page("a", 0, NotificationStatus.Failed)], 0));
    }

    [Fact]
    public void While_nobody_was_reached_everyone_is_paged_again_at_the_position_they_were_first_paged_at_in_order()
    {
        var people = NobodyReached.Owed(
        [
            Page("a", 0, NotificationStatus.Failed, level: 1), Page("b", 0, NotificationStatus.Failed, level: 2) with { Permanent = true },
            Page("a", 0, NotificationStatus.Failed, level: 1, channel: "sms"),
        ], 0);
        Assert.Equal([("a", new EscalationPosition(0, 0)), ("b", new EscalationPosition(1, 0))], people);
    }

    [Fact]
    public void Once_someone_was_reached_only_those_not_reached_and_not_failed_for_good_are_owed_a_page()
    {
        var owed = NobodyReached.Owed(
        [
            Page("reached", 0, NotificationStatus.Failed), Page("reached", 0, NotificationStatus.Sent, channel: "slack"),
            Page("outage", 0, NotificationStatus.Failed), Page("outage", 0, NotificationStatus.Failed, channel: "sms") with { Permanent = true },
            Page("bad-number", 0, NotificationStatus.Failed, channel: "sms") with { Permanent = true },
            Page("waiting", 0, NotificationStatus.Failed), Page("waiting", 0, NotificationStatus.Pending, channel: "sms"),
        ], 0);
        Assert.Equal(["outage"], owed.Select(p => p.UserId));
    }

    [Fact]
    public void High_urgency_pages_again_on_every_channel_that_can_reach_the_person_low_urgency_on_its_plan()
    {
        var user = new User("a", "A", "a@example.com", "+15550001111", "UA", "UTC",
            NotificationRules: [new NotificationRule(ChannelNames.Slack, TimeSpan.Zero, RuleUrgency.Any), new NotificationRule(ChannelNames.Email, TimeSpan.FromMinutes(5), RuleUrgency.Any)]);
        Assert.Equal([ChannelNames.Slack, ChannelNames.Sms, ChannelNames.Email], NobodyReached.Channels(user, Urgency.High));
        Assert.Equal([ChannelNames.Slack, ChannelNames.Email], NobodyReached.Channels(user, Urgency.Low));
    }

    private static NotificationRecord Page(string user, int cycle, NotificationStatus status, int level = 1, string channel = "email") => new()
    {
        Id = $"i/{cycle}.{level}.0/{user}/{channel}",
        Level = level,
        Loop = 0,
        Cycle = cycle,
        UserId = user,
        Channel = channel,
        Status = status,
        CreatedAt = At,
    };
}
