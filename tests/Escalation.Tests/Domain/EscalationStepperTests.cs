using Escalation.Configuration;
using Escalation.Escalations;

namespace Escalation.Tests.Domain;

public class EscalationStepperTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

    private static EscalationPolicy Policy(int levels, int repeat) => new("p", "P", repeat,
        Enumerable.Range(0, levels)
            .Select(i => new EscalationLevel(TimeSpan.FromMinutes(15 + i), [new EscalationTarget(TargetType.User, $"u{i}")]))
            .ToList());

    [Fact]
    public void Walks_the_levels_in_order_then_stops_without_repeat()
    {
        var policy = Policy(3, repeat: 0);
        Assert.Equal(new EscalationPosition(1, 0), EscalationStepper.Next(policy, new(0, 0)));
        Assert.Equal(new EscalationPosition(2, 0), EscalationStepper.Next(policy, new(1, 0)));
        Assert.Null(EscalationStepper.Next(policy, new(2, 0)));
    }

    [Fact]
    public void Repeats_the_whole_policy_as_many_more_times_as_asked()
    {
        var policy = Policy(2, repeat: 2);
        var walk = new List<EscalationPosition> { EscalationPosition.Start };
        while (EscalationStepper.Next(policy, walk[^1]) is { } next) walk.Add(next);

        Assert.Equal([new(0, 0), new(1, 0), new(0, 1), new(1, 1), new(0, 2), new(1, 2)], walk);
        Assert.Equal(walk.Count, EscalationStepper.TotalPositions(policy));
    }

    [Fact]
    public void The_deadline_is_the_paged_level_delay_after_paging()
    {
        var policy = Policy(3, repeat: 0);
        Assert.Equal(T0.AddMinutes(15), EscalationStepper.DeadlineAfterPaging(policy, new(0, 0), T0));
        Assert.Equal(T0.AddMinutes(16), EscalationStepper.DeadlineAfterPaging(policy, new(1, 0), T0));
    }

    [Fact]
    public void The_final_position_has_no_deadline_so_the_incident_stays_on_the_last_level()
    {
        Assert.Null(EscalationStepper.DeadlineAfterPaging(Policy(3, repeat: 0), new(2, 0), T0));
        Assert.Equal(T0.AddMinutes(16), EscalationStepper.DeadlineAfterPaging(Policy(2, repeat: 1), new(1, 0), T0));
    }

    [Fact]
    public void A_single_level_policy_without_repeat_never_escalates()
    {
        var policy = Policy(1, repeat: 0);
        Assert.Null(EscalationStepper.Next(policy, EscalationPosition.Start));
        Assert.Null(EscalationStepper.DeadlineAfterPaging(policy, EscalationPosition.Start, T0));
    }
}
