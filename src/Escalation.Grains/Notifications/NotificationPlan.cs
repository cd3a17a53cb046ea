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
    /// (SMS after STOP) is paged in advance as a failed one would be: see <see cref="InsteadOf"/>. A person with no
    /// way to reach them at all is paged on the log channel, so that the page is never silently dropped.
    /// </summary>
    public static IReadOnlyList<PlannedPage> For(User? user, Urgency urgency)
    {
        var rules = user?.NotificationRules is { Count: > 0 } own ? own : Defaults;
        var applicable = rules.Where(r => Applies(r.Urgency, urgency) && user?.AddressFor(r.Channel) is not null).ToList();
        var pages = applicable
            .Select(r => user!.Reachable(r.Channel) ? new PlannedPage(r.Channel, r.After) : InsteadOf(user, r, applicable))
            .OfType<PlannedPage>()
            .GroupBy(p => p.Channel)
            .Select(g => g.OrderBy(p => p.After).ThenBy(p => p.InsteadOf is not null).First())
            .OrderBy(p => p.After).ThenBy(p => ChannelNames.FallbackRank(p.Channel))
            .ToList();
        return pages.Count > 0 ? pages : [new PlannedPage(ChannelNames.Log, TimeSpan.Zero)];
    }

    /// <summary>
    /// For a rule whose channel the user turned off: at the same moment, a reachable channel the plan does not use
    /// yet, else the earliest channel it pages later, brought forward (as the fallback from a failed page does);
    /// nothing when every channel is paged this early anyway. When nothing in the plan can reach them the page stays on the turned-off channel, where it fails like
    /// any undeliverable page, so that the level escalates at once rather than counting a page nobody got.
    /// </summary>
    private static PlannedPage? InsteadOf(User user, NotificationRule rule, IReadOnlyList<NotificationRule> applicable)
    {
        if (Fallback(user, applicable.Select(r => r.Channel).ToHashSet()) is { } unused) return new PlannedPage(unused, rule.After, rule.Channel);
        var reachable = applicable.Where(r => user.Reachable(r.Channel)).ToList();
        if (reachable.Count == 0) return new PlannedPage(rule.Channel, rule.After);
        return reachable.Where(r => r.After > rule.After).MinBy(r => r.After) is { } later
            ? new PlannedPage(later.Channel, rule.After, rule.Channel)
            : null;
    }

    /// <summary>The next channel to try after the ones already used, in fallback order; null when none is left.</summary>
    public static string? Fallback(User? user, IReadOnlyCollection<string> used) =>
        ChannelNames.FallbackOrder.FirstOrDefault(c => !used.Contains(c) && user?.Reachable(c) == true);

    private static bool Applies(RuleUrgency rule, Urgency urgency) =>
        rule == RuleUrgency.Any || (rule == RuleUrgency.High) == (urgency == Urgency.High);
}
