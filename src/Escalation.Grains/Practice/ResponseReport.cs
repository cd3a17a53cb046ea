using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Routing;
using NodaTime;

namespace Escalation.Practice;

/// <summary>A page a channel delivered, as the delivery ledger has it.</summary>
public sealed record SentPage(string NotificationId, string IncidentId, string UserId, DateTimeOffset SentAt);

public sealed record Durations(TimeSpan Mean, TimeSpan P50, TimeSpan P90);

/// <param name="Ratio">Met over met and missed; null while nothing was measured.</param>
public sealed record Attainment(int Met, int Missed, double? Ratio);

/// <param name="Responses">The cycles answered: an incident paged again after its acknowledgement timed out is measured again.</param>
/// <param name="Mtta">Over every answered cycle, from its start to its acknowledgement (or resolution, when nobody acknowledged).</param>
/// <param name="Mttr">Over the resolved incidents, from opening to resolution.</param>
public sealed record PriorityReport(Priority Priority, int Count, int Responses, int Resolved, Durations? Mtta, Durations? Mttr,
    Attainment AcknowledgeTarget, Attainment ResolveTarget);

/// <param name="Pages">Pages delivered to the person, each counted once however many channels it went out on.</param>
/// <param name="AfterHoursPages">Of those, the ones outside working hours (weekdays, in the person's time zone).</param>
public sealed record PersonLoad(string UserId, int Pages, int AfterHoursPages, double PagesPerWeek);

public sealed record ServiceReport(string ServiceId, IReadOnlyList<PriorityReport> Priorities, IReadOnlyList<PersonLoad> People);

/// <summary>
/// Response figures of the incidents opened in [<paramref name="From"/>, <paramref name="To"/>), per service and
/// priority, and the on-call load of the pages they sent. A target is counted met or missed once that is known.
/// </summary>
public sealed record ResponseReport(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ServiceReport> Services)
{
    public static ResponseReport Of(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<IncidentState> incidents, IReadOnlyList<SentPage> pages,
        Func<string, DateTimeZone> zoneOf, WorkingHours hours, DateTimeOffset now)
    {
        var weeks = Math.Max(1, (to - from).TotalDays / 7);
        var serviceOf = incidents.ToDictionary(i => i.Id, i => i.ServiceId);
        var services = incidents.GroupBy(i => i.ServiceId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(service => new ServiceReport(
            service.Key,
            [.. service.GroupBy(i => i.Priority).OrderBy(g => g.Key).Select(p => Priority(p.Key, [.. p], now))],
            People(pages.Where(p => serviceOf.GetValueOrDefault(p.IncidentId) == service.Key), zoneOf, hours, weeks)));
        return new ResponseReport(from, to, [.. services]);
    }

    private static PriorityReport Priority(Priority priority, IReadOnlyList<IncidentState> incidents, DateTimeOffset now)
    {
        var times = incidents.Select(i => (Incident: i, Times: ResponseTimes.Of(i, now))).ToList();
        var responses = times.SelectMany(t => t.Times.Cycles).Select(c => c.TimeToAcknowledge).OfType<TimeSpan>().ToList();
        var resolutions = times.Select(t => t.Times.TimeToResolve).OfType<TimeSpan>().ToList();
        var cycles = times.SelectMany(t => t.Times.Cycles).ToList();
        return new PriorityReport(priority, incidents.Count, responses.Count, resolutions.Count, Summarise(responses), Summarise(resolutions),
            Attained(cycles.Select(c => c.Met)), Attained(times.Select(t => t.Times.ResolveTargetMet)));
    }

    private static Attainment Attained(IEnumerable<bool?> outcomes)
    {
        var known = outcomes.OfType<bool>().ToList();
        var met = known.Count(m => m);
        return new Attainment(met, known.Count - met, known.Count == 0 ? null : Math.Round((double)met / known.Count, 4));
    }

    /// <summary>Mean, and the nearest-rank median and 90th percentile; null for none.</summary>
    public static Durations? Summarise(IReadOnlyList<TimeSpan> values)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToList();
        TimeSpan Rank(double q) => sorted[Math.Max(0, (int)Math.Ceiling(q * sorted.Count) - 1)];
        return new Durations(TimeSpan.FromTicks((long)sorted.Average(v => v.Ticks)), Rank(0.5), Rank(0.9));
    }

    private static List<PersonLoad> People(IEnumerable<SentPage> sent, Func<string, DateTimeZone> zoneOf, WorkingHours hours, double weeks) =>
    [
        .. sent
            .Select(p => (Page: p, Key: NotificationRecord.PageKeyOf(p.NotificationId)))
            .Where(p => p.Key is not null)
            // One page of one person, sent on several channels: counted once, at its first delivery.
            .GroupBy(p => (p.Page.IncidentId, p.Page.UserId, p.Key), p => p.Page.SentAt)
            .Select(g => (g.Key.UserId, At: g.Min()))
            .GroupBy(p => p.UserId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new PersonLoad(g.Key, g.Count(), g.Count(p => hours.IsAfterHours(p.At, zoneOf(g.Key))), Math.Round(g.Count() / weeks, 2))),
    ];
}
