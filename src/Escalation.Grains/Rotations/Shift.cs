namespace Escalation.Rotations;

/// <summary>
/// One shift of the schedule, overrides not applied: [Start, End) in UTC. Index counts distinct handoffs from the
/// rotation's start (0 there, negative before it); Slot is the position in the participant list.
/// </summary>
[GenerateSerializer, Alias("escalation.rotation-shift")]
public sealed record Shift(
    [property: Id(0)] long Index,
    [property: Id(1)] int Slot,
    [property: Id(2)] string UserId,
    [property: Id(3)] DateTimeOffset Start,
    [property: Id(4)] DateTimeOffset End);
