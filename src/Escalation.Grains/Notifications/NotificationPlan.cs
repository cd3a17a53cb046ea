using Escalation.Configuration;

namespace Escalation.Notifications;

/// <summary>One page the plan asks for: a channel, how long after the person is paged, and the channel it stands in for.</summary>
public sealed record PlannedPage(string Channel, TimeSpan After, string? InsteadOf = null);

/// <summary>
/// Which channels page a person, and when: their own rules for the incident's urgency, or the defaults. Pure.
/// </summary>
public static class NotificationPlan
{
    /// <summary>High urgency: every channel at once. Low urgency: Slack and email at once.</summary>
    public static IReadOnlyList<NotificationRule> Defaults { get; } =
    [
        new(ChannelNames.Slack, TimeSpan.Zero, RuleUrgency.Any),
        new(ChannelNames.Sms, TimeSpan.Zero, RuleUrgency.High),
        new(ChannelNames.Email, TimeSpan.Zero, RuleUrgency.Any),
    ];

    /// <summary>
    /// The pages for <paramref name="user"/>. Channels the user has no address for are left out of the defaults
    /// (their own rules cannot name one: that is refused when they are configured). A channel the user turned off
    /// (SMS after STOP) is paged, at high urgency, on their next channel at the same moment, as a failed one would be;
    /// at low urgency it is left out. A person with no way to reach them at all is paged on the log channel, so that
    /// the page is never silently dropped.
    /// </summary>
    public static IReadOnlyList<PlannedPage> For(User? user, Urgency urgency)
    {
        var rules = user?.NotificationRules is { Count: > 0 } own ? own : Defaults;
        var applicable = rules.Where(r => Applies(r.Urgency, urgency) && user?.AddressFor(r.Channel) is not null).ToList();
        var turnedOff = applicable.Select(r => r.Channel).Where(c => !user!.Reachable(c)).ToHashSet();
        var pages = applicable
            .Select(r => turnedOff.Contains(r.Channel)
                ? urgency == Urgency.High && Fallback(user, turnedOff) is { } next ? new PlannedPage(next, r.After, r.Channel) : null
                : new PlannedPage(r.Channel, r.After))
            .OfType<PlannedPage>()
            .GroupBy(p => p.Channel)
            .Select(g => g.OrderBy(p => p.After).ThenBy(p => p.InsteadOf is not null).First())
            .OrderBy(p => p.After).ThenBy(p => ChannelNames.FallbackRank(p.Channel))
            .ToList();
        return pages.Count > 0 ? pages : [new PlannedPage(ChannelNames.Log, TimeSpan.Zero)];
    }

    /// <summary>The next channel to try after the ones already used, in fallback order; null when none is left.</summary>
    public static string? Fallback(User? user, IReadOnlyCollection<string> used) =>
        ChannelNames.FallbackOrder.FirstOrDefault(c => !used.Contains(c) && user?.Reachable(c) == true);

    private static bool Applies(RuleUrgency rule, Urgency urgency) =>
        rule == RuleUrgency.Any || (rule == RuleUrgency.High) == (urgency == Urgency.High);
}
