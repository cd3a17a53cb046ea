using Orleans.Concurrency;
using Orleans.Services;

namespace Escalation.Deadlines;

/// <summary>
/// The deadline service of one silo: it owns the deadlines of the grains whose ids hash into its range of the
/// consistent ring. Writers tell it of a deadline they stored, so that one falling due before its next load is not late.
/// </summary>
public interface IDeadlineService : IGrainService
{
    [OneWay]
    Task Schedule(IReadOnlyList<ScheduledDeadline> deadlines);
}

/// <summary>A deadline as stored: the grain, when (null: none any more), and the row version that says so.</summary>
[GenerateSerializer, Alias("escalation.scheduled-deadline")]
public readonly record struct ScheduledDeadline([property: Id(0)] GrainId Grain, [property: Id(1)] DateTimeOffset? At, [property: Id(2)] long Version);

/// <summary>How a store tells the deadline service of the deadlines it has just committed.</summary>
public interface IDeadlineScheduler
{
    void Scheduled(IReadOnlyList<ScheduledDeadline> deadlines);
}
