using Escalation.Configuration;

namespace Escalation.Escalations;

/// <summary>
/// The escalation rules, free of grains and clocks: which position follows which, and when a level's
/// wait runs out. After the last level the policy is walked <c>repeat</c> more times, then it stays put.
/// </summary>
public static class EscalationStepper
{
    public static EscalationPosition? Next(EscalationPolicy policy, EscalationPosition current)
    {
        if (current.Level + 1 < policy.Levels.Count)
            return current with { Level = current.Level + 1 };
        if (current.Loop < policy.Repeat)
            return new EscalationPosition(0, current.Loop + 1);
        return null;
    }

    /// <summary>When the level paged at <paramref name="pagedAt"/> escalates, or null when nothing follows it.</summary>
    public static DateTimeOffset? DeadlineAfterPaging(EscalationPolicy policy, EscalationPosition paged, DateTimeOffset pagedAt) =>
        Next(policy, paged) is null ? null : pagedAt + policy.Levels[paged.Level].EscalateAfter;

    /// <summary>How many positions a full walk of the policy has; a bound for skipping empty levels.</summary>
    public static int TotalPositions(EscalationPolicy policy) => policy.Levels.Count * (policy.Repeat + 1);
}
