using Escalation.Incidents;
using Escalation.Practice;
using Escalation.Routing;

namespace Escalation.Tests.Practice;

/// <summary>The SLO arithmetic against the Google SRE workbook's worked examples ("Alerting on SLOs", table 5-8 and the multi-window rules).</summary>
public sealed class SloStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly AcknowledgementSlo P1In15 = new(Priority.P1, 0.99, TimeSpan.FromMinutes(15), TimeSpan.FromDays(30));

    [Theory]
    [InlineData(14.4, 1, 0.02)]   // page: 2 % of the budget in an hour
    [InlineData(6, 6, 0.05)]      // page: 5 % in six hours
    [InlineData(1, 72, 0.10)]     // ticket: 10 % in three days
    [InlineData(1, 720, 1.0)]     // a burn rate of 1 spends the whole budget over the window
    public void A_burn_rate_spends_its_share_of_a_30_day_budget(double burnRate, int hours, double spent) =>
        Assert.Equal(spent, SloStatus.BudgetSpent(burnRate, TimeSpan.FromHours(hours), TimeSpan.FromDays(30)), 6);

    [Fact]
    public void Burn_rate_is_the_error_rate_over_the_budget_and_the_budget_left_follows()
    {
        // 99.9 %: an error rate of 1.44 % is a 14.4x burn (the workbook's 99.9 % example).
        Assert.Equal(14.4, SloStatus.BurnRate(P1In15 with { Objective = 0.999 }, 10_000, 144), 6);
        Assert.Equal(0.5, SloStatus.BudgetLeftOf(P1In15, 200, 1), 6);
        Assert.Equal(-1, SloStatus.BudgetLeftOf(P1In15, 100, 2), 6);
        Assert.Equal(1, SloStatus.BudgetLeftOf(P1In15, 0, 0));
    }

    [Fact]
    public void The_fast_rule_fires_when_the_hour_and_the_last_five_minutes_both_burn_above_14_4()
    {
        // 100 events in the hour, 15 bad (15x); the last five minutes hold 2, one bad (50x).
        var events = Spread(84, good: true, from: Now.AddMinutes(-55), to: Now.AddMinutes(-6))
            .Concat(Spread(14, good: false, from: Now.AddMinutes(-50), to: Now.AddMinutes(-10)))
            .Append(Event(Now.AddMinutes(-2), good: false)).Append(Event(Now.AddMinutes(-1), good: true)).ToList();
        var status = SloStatus.Of(P1In15, events, Now);
        Assert.Equal(SloStatus.Rules[0], status.Firing);
        Assert.Equal(15, Burn(status, TimeSpan.FromHours(1)), 6);
        Assert.Equal(50, Burn(status, TimeSpan.FromMinutes(5)), 6);

        // Once the last five minutes are clean the fast rule stops, though the hour still burns: the alert resets quickly.
        var cooled = SloStatus.Of(P1In15, [.. events.Where(e => e.At < Now.AddMinutes(-5)), Event(Now.AddMinutes(-1), good: true)], Now);
        Assert.Equal(0, Burn(cooled, TimeSpan.FromMinutes(5)));
        Assert.NotEqual(SloStatus.Rules[0], cooled.Firing);
    }

    [Fact]
    public void The_slow_rule_fires_at_6x_over_six_hours_and_thirty_minutes()
    {
        // 6 h: 100 events, 7 bad (7x); 30 min: 10 events, 1 bad (10x); 1 h: 20 events, 1 bad (5x, below 14.4).
        var events = Spread(74, good: true, from: Now.AddHours(-6).AddMinutes(1), to: Now.AddHours(-1).AddMinutes(-1))
            .Concat(Spread(6, good: false, from: Now.AddHours(-5), to: Now.AddHours(-2)))
            .Concat(Spread(10, good: true, from: Now.AddMinutes(-59), to: Now.AddMinutes(-31)))
            .Concat(Spread(9, good: true, from: Now.AddMinutes(-29), to: Now.AddMinutes(-1)))
            .Append(Event(Now.AddMinutes(-3), good: false)).ToList();
        var status = SloStatus.Of(P1In15, events, Now);
        Assert.Equal((7.0, 10.0, 5.0), (Burn(status, TimeSpan.FromHours(6)), Burn(status, TimeSpan.FromMinutes(30)), Burn(status, TimeSpan.FromHours(1))));
        Assert.Equal(SloStatus.Rules[1], status.Firing);
    }

    [Fact]
    public void With_fewer_events_than_the_minimum_one_late_answer_does_not_page()
    {
        // Four P1s in the hour, all late: a 100x burn, but four events are too few to tell.
        var events = Spread(4, good: false, from: Now.AddMinutes(-40), to: Now.AddMinutes(-1)).ToList();
        Assert.Equal(100, Burn(SloStatus.Of(P1In15, events, Now), TimeSpan.FromHours(1)), 6);
        Assert.Null(SloStatus.Of(P1In15, events, Now).Firing);
        Assert.Equal(SloStatus.Rules[0], SloStatus.Of(P1In15 with { MinEvents = 4 }, events, Now).Firing);
    }

    [Fact]
    public void A_cycle_is_good_when_answered_in_time_and_bad_once_its_threshold_passed()
    {
        var opened = Now.AddMinutes(-60);
        var s = new IncidentState
        {
            Id = "i", Priority = Priority.P1, CreatedAt = opened, Status = IncidentStatus.Triggered, Cycle = 2,
            Cycles =
            [
                new ResponseCycle { Cycle = 0, StartedAt = opened, RespondedAt = opened.AddMinutes(10) },
                new ResponseCycle { Cycle = 1, StartedAt = opened.AddMinutes(20), RespondedAt = opened.AddMinutes(40) },
                new ResponseCycle { Cycle = 2, StartedAt = opened.AddMinutes(50) },
            ],
        };
        Assert.Equal([new SliEvent("i", 0, opened.AddMinutes(10), true), new SliEvent("i", 1, opened.AddMinutes(35), false)], SliEvent.Of(s, P1In15, Now));
        // Cycle 3's threshold passes at minute 65.
        Assert.Equal(new SliEvent("i", 2, opened.AddMinutes(65), false), SliEvent.Of(s, P1In15, Now.AddMinutes(5)).Last());
        Assert.Empty(SliEvent.Of(s with { Source = SliEvent.SloSource }, P1In15, Now));
        Assert.Empty(SliEvent.Of(s with { Priority = Priority.P2 }, P1In15, Now));
    }

    private static double Burn(SloStatus status, TimeSpan window) => status.Windows.Single(w => w.Window == window).BurnRate;

    private static SliEvent Event(DateTimeOffset at, bool good) => new(Guid.NewGuid().ToString(), 0, at, good);

    private static IEnumerable<SliEvent> Spread(int count, bool good, DateTimeOffset from, DateTimeOffset to) =>
        Enumerable.Range(0, count).Select(i => Event(from + (to - from) * (count == 1 ? 0 : (double)i / (count - 1)), good));
}
