using Escalation.Incidents;
using Escalation.Practice;
using Escalation.Routing;
using NodaTime;

namespace Escalation.Tests.Practice;

public sealed class ResponseReportTests
{
    // Monday 2026-12-07 00:00 UTC is 09:00 in Tokyo.
    private static readonly DateTimeOffset From = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddDays(14);
    private static readonly DateTimeOffset Now = To;
    private static readonly Func<string, DateTimeZone> Tokyo = _ => DateTimeZoneProviders.Tzdb["Asia/Tokyo"];

    private static IncidentState Incident(string id, string service, Priority priority, DateTimeOffset opened, DateTimeOffset? resolved,
        params (int Started, int? Responded)[] cycles) => new()
    {
        Id = id, ServiceId = service, Priority = priority, CreatedAt = opened, ResolvedAt = resolved,
        Status = resolved is null ? IncidentStatus.Triggered : IncidentStatus.Resolved,
        Cycle = cycles.Length - 1,
        Targets = ResponseTargets.Of(null, priority) is var t && t != ResponseTarget.None ? t : null,
        Cycles = [.. cycles.Select((c, i) => new ResponseCycle
        {
            Cycle = i, StartedAt = opened.AddMinutes(c.Started), RespondedAt = c.Responded is { } r ? opened.AddMinutes(r) : null,
        })],
    };

    private static readonly IncidentState A = Incident("A", "api", Priority.P1, From.AddHours(1), From.AddHours(1).AddMinutes(40), (0, 5));
    private static readonly IncidentState B = Incident("B", "api", Priority.P1, From.AddHours(12), From.AddHours(12).AddMinutes(90), (0, 20), (50, 55));
    private static readonly IncidentState C = Incident("C", "api", Priority.P1, Now.AddMinutes(-10), null, (0, null));
    private static readonly IncidentState D = Incident("D", "web", Priority.P4, From.AddDays(1), From.AddDays(1).AddMinutes(3), (0, 3));

    [Fact]
    public void MTTA_MTTR_and_attainment_per_service_and_priority_over_a_fixture_with_known_answers()
    {
        var report = ResponseReport.Of(From, To, [A, B, C, D], [], Tokyo, WorkingHours.Default, Now);

        Assert.Equal(["api", "web"], report.Services.Select(s => s.ServiceId));
        var p1 = Assert.Single(report.Services[0].Priorities);
        Assert.Equal((Priority.P1, 3, 3, 2), (p1.Priority, p1.Count, p1.Responses, p1.Resolved));
        // First answers 5, 20 and 5 minutes (B's second cycle measured again); recoveries 40 and 90.
        Assert.Equal(new Durations(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(20)), p1.Mtta);
        Assert.Equal(new Durations(TimeSpan.FromMinutes(65), TimeSpan.FromMinutes(40), TimeSpan.FromMinutes(90)), p1.Mttr);
        // C is still inside both its targets: neither met nor missed yet.
        Assert.Equal(new Attainment(2, 1, 0.6667), p1.AcknowledgeTarget);
        Assert.Equal(new Attainment(1, 1, 0.5), p1.ResolveTarget);

        var p4 = Assert.Single(report.Services[1].Priorities);
        Assert.Equal((1, new Attainment(0, 0, null)), (p4.Count, p4.AcknowledgeTarget));
    }

    [Fact]
    public void Pages_are_counted_once_per_person_across_channels_and_after_hours_in_their_zone()
    {
        SentPage Sent(string id, string incident, string user, DateTimeOffset at) => new(id, incident, user, at);
        var pages = new[]
        {
            // 10:00 Tokyo on a Monday, by SMS and email: one page in working hours.
            Sent("A/0.1.0/aiko/sms", "A", "aiko", From.AddHours(1)),
            Sent("A/0.1.0/aiko/email", "A", "aiko", From.AddHours(1).AddSeconds(2)),
            // 21:00 Tokyo, then its retry: two pages after hours.
            Sent("B/0.1.0/aiko/sms", "B", "aiko", From.AddHours(12)),
            Sent("B/0.1.0/aiko/sms/retry-1", "B", "aiko", From.AddHours(12).AddMinutes(1)),
            Sent("B/0.2.0/ben/slack", "B", "ben", From.AddHours(12).AddMinutes(15)),
            // A reminder is not a page, nor a page of a service outside the report.
            Sent("B/reminder/12", "B", "aiko", From.AddHours(12).AddMinutes(30)),
            Sent("Z/0.1.0/aiko/sms", "Z", "aiko", From.AddHours(3)),
        };
        var report = ResponseReport.Of(From, To, [A, B], pages, Tokyo, WorkingHours.Default, Now);

        Assert.Equal([new PersonLoad("aiko", 3, 2, 1.5), new PersonLoad("ben", 1, 1, 0.5)], report.Services[0].People);
    }

    [Theory]
    [InlineData("2026-12-07T00:00:00Z", false)] // Monday 09:00 Tokyo
    [InlineData("2026-12-06T23:59:00Z", true)]  // Monday 08:59
    [InlineData("2026-12-07T09:00:00Z", true)]  // Monday 18:00
    [InlineData("2026-12-12T01:00:00Z", true)]  // Saturday 10:00
    public void Working_hours_are_weekdays_9_to_18_in_the_persons_zone(string at, bool afterHours) =>
        Assert.Equal(afterHours, WorkingHours.Default.IsAfterHours(DateTimeOffset.Parse(at), DateTimeZoneProviders.Tzdb["Asia/Tokyo"]));
}
