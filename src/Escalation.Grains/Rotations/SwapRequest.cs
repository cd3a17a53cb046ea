namespace Escalation.Rotations;

[GenerateSerializer, Alias("escalation.swap-status")]
public enum SwapStatus
{
    Pending,
    Accepted,
    Declined,
}

/// <summary>
/// A request that <see cref="CoveringUserId"/> takes <see cref="RequesterId"/>'s on-call time in [Start, End).
/// Accepting it creates the replace override named by <see cref="OverrideId"/>.
/// </summary>
[GenerateSerializer, Alias("escalation.swap-request")]
public sealed record SwapRequest
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string RequesterId { get; init; }
    [Id(2)] public required string CoveringUserId { get; init; }
    [Id(3)] public required DateTimeOffset Start { get; init; }
    [Id(4)] public required DateTimeOffset End { get; init; }
    [Id(5)] public string? Reason { get; init; }
    [Id(6)] public SwapStatus Status { get; init; }
    /// <summary>Set by the rotation when it takes the request.</summary>
    [Id(7)] public DateTimeOffset CreatedAt { get; init; }
    [Id(8)] public DateTimeOffset? DecidedAt { get; init; }
    [Id(9)] public string? OverrideId { get; init; }

    /// <summary>The override that accepting this request creates.</summary>
    public RotationOverride AsOverride(string overrideId) =>
        new(overrideId, OverrideType.Replace, CoveringUserId, RequesterId, Start, End,
            string.IsNullOrWhiteSpace(Reason) ? $"Swap {Id}" : $"Swap {Id}: {Reason}");
}
