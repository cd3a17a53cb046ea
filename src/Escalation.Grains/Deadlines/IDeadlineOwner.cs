namespace Escalation.Deadlines;

/// <summary>
/// A grain whose deadlines are kept as data (the <c>next_deadline_at</c> of its row) and fired by the deadline service.
/// The call is idempotent: the grain acts on whatever is due, stores its next deadline if that changed, and answers it.
/// </summary>
public interface IDeadlineOwner : IGrain
{
    Task<NextDeadline> DeadlineDue();
}

/// <summary>A grain's next deadline (null: none) as of its stored <paramref name="Version"/>.</summary>
[GenerateSerializer, Alias("escalation.next-deadline")]
public readonly record struct NextDeadline([property: Id(0)] DateTimeOffset? At, [property: Id(1)] long Version);
