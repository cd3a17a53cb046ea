using Escalation.Deadlines;
namespace Escalation.Rotations;

/// <summary>
/// What a rotation grain persists. The schedule itself is the stored <see cref="Rotation"/> document; this is what
/// happens to it: overrides, swap requests, the last handoff announced, and the outbox of announcements.
/// </summary>
[GenerateSerializer, Alias("escalation.rotation-state")]
public sealed record RotationState : IHasNextDeadline
{
    [Id(0)] public List<RotationOverride> Overrides { get; set; } = [];
    [Id(1)] public List<SwapRequest> SwapRequests { get; set; } = [];

    /// <summary>The start of the latest shift whose handoff has been dealt with: announced, or passed over on purpose.</summary>
    [Id(2)] public DateTimeOffset? LastHandoff { get; set; }

    /// <summary>The outbox: an announcement is written here as pending before it is handed to the bus.</summary>
    [Id(3)] public List<Announcement> Announcements { get; set; } = [];

    /// <summary>
    /// The schedule <see cref="LastHandoff"/> was reckoned on (<see cref="Rotation.Fingerprint"/>). When the stored
    /// schedule differs, it was edited: that is a reschedule, never a handoff, even if this grain hears of it late.
    /// </summary>
    [Id(4)] public string? ScheduleFingerprint { get; set; }
    /// <summary>When the grain must next act (kept in the row for the deadline service).</summary>
    [Id(5)] public DateTimeOffset? NextDeadline { get; set; }
}
