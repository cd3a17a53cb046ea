using Escalation.Configuration;
using Escalation.Notifications;

namespace Escalation.Escalations;

/// <summary>
/// The rule that nobody is given up on. A person paged in an incident's cycle whose pages all failed, none for good
/// (an outage, a refused token), is paged again on a backoff that never waits longer than a set gap, until one
/// reaches them. And while nobody at all has been reached, everyone paged so far is, whatever their failures. Pure.
/// </summary>
public static class NobodyReached
{
    /// <summary>
    /// True when the cycle's pages have all come to nothing: none was sent (a page written to the log because its
    /// channel is not configured counts as sent: paging it again cannot help) and none is pending or scheduled.
    /// Also true when the cycle has no page at all (no level had anyone to page).
    /// </summary>
    public static bool In(IEnumerable<NotificationRecord> notifications, int cycle) =>
        !PagesOf(notifications, cycle).Any(n => n.Status is NotificationStatus.Sent or NotificationStatus.Pending);

    /// <summary>Whether any page of the cycle went out to a person (or to the log, standing in for a channel not configured).</summary>
    public static bool AnyoneReached(IEnumerable<NotificationRecord> notifications, int cycle) =>
        PagesOf(notifications, cycle).Any(n => n.Status == NotificationStatus.Sent);

    /// <summary>The people paged in the cycle whom no page has reached yet, whether or not one is on its way to them.</summary>
    public static IReadOnlyList<string> Unreached(IEnumerable<NotificationRecord> notifications, int cycle) =>
        PagesOf(notifications, cycle).GroupBy(n => n.UserId)
            .Where(person => !person.Any(n => n.Status == NotificationStatus.Sent))
            .Select(person => person.Key).ToList();

    /// <summary>
    /// The people of the cycle to page again, each at the position they were first paged at, in the order they were
    /// paged: while nobody was reached, all of them; otherwise those not reached, with nothing on its way to them,
    /// and failed for a reason that may pass.
    /// </summary>
    public static IReadOnlyList<(string UserId, EscalationPosition At)> Owed(IEnumerable<NotificationRecord> notifications, int cycle)
    {
        var pages = PagesOf(notifications, cycle).ToList();
        var everyone = In(pages, cycle);
        return pages.GroupBy(n => n.UserId)
            .Where(person => everyone || (person.All(n => n.Status is NotificationStatus.Failed or NotificationStatus.Cancelled)
                && person.Any(n => n.Status == NotificationStatus.Failed && !n.Permanent)))
            .Select(person => (person.Key, new EscalationPosition(person.First().Level - 1, person.First().Loop)))
            .ToList();
    }

    /// <summary>The wait before paging round <paramref name="round"/> (1 for the first): doubling from <paramref name="first"/>, at most <paramref name="longest"/>.</summary>
    public static TimeSpan Gap(int round, TimeSpan first, TimeSpan longest)
    {
        var gap = first;
        for (var i = 1; i < round && gap < longest; i++) gap += gap;
        return gap < longest ? gap : longest;
    }

    /// <summary>
    /// The channels a person is paged on again: their plan's channels, all at once, and for high urgency every other
    /// channel that can reach them too, since nothing has so far.
    /// </summary>
    public static IReadOnlyList<string> Channels(User? user, Urgency urgency)
    {
        var planned = NotificationPlan.For(user, urgency).Select(p => p.Channel);
        var others = urgency == Urgency.High ? ChannelNames.FallbackOrder.Where(c => user?.Reachable(c) == true) : [];
        return planned.Concat(others).Distinct().OrderBy(ChannelNames.FallbackRank).ToList();
    }

    private static IEnumerable<NotificationRecord> PagesOf(IEnumerable<NotificationRecord> notifications, int cycle) =>
        notifications.Where(n => n.Kind == NotificationKind.Page && n.Cycle == cycle);
}
