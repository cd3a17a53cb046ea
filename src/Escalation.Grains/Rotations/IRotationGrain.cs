using Escalation.Notifications;

namespace Escalation.Rotations;

/// <summary>
/// One rotation, keyed by its id. It knows who is on call at any instant, fires and announces its own handoffs,
/// and keeps the overrides and swap requests. Its schedule is the stored rotation document.
/// </summary>
[Alias("escalation.IRotationGrain")]
public interface IRotationGrain : IGrainWithStringKey
{
    /// <summary>The stored rotation was created or changed: schedule from it. A change is not itself a handoff.</summary>
    [Alias("reschedule")] Task Reschedule();

    /// <summary>The stored rotation was deleted: drop everything, timers and reminder included.</summary>
    [Alias("forget")] Task Forget();

    /// <summary>The rotation as this grain schedules it; null when it does not exist.</summary>
    [Alias("definition")] Task<Rotation?> Definition();

    /// <summary>Who is on call at <paramref name="at"/>, overrides applied; null when the rotation does not exist.</summary>
    [Alias("on-call-at")] Task<OnCallPeriod?> OnCallAt(DateTimeOffset at);

    /// <summary>The on-call periods overlapping [from, to); null when the rotation does not exist.</summary>
    [Alias("on-call-between")] Task<IReadOnlyList<OnCallPeriod>?> OnCallBetween(DateTimeOffset from, DateTimeOffset to);

    [Alias("overrides")] Task<IReadOnlyList<RotationOverride>?> Overrides();
    [Alias("add-override")] Task<RotationChange> AddOverride(RotationOverride candidate);
    [Alias("remove-override")] Task<RotationChange> RemoveOverride(string overrideId);

    [Alias("swap-requests")] Task<IReadOnlyList<SwapRequest>?> SwapRequests();
    [Alias("request-swap")] Task<RotationChange> RequestSwap(SwapRequest request);

    /// <summary>The covering user accepts (creating the replace override) or declines a pending swap request.</summary>
    [Alias("decide-swap")] Task<RotationChange> DecideSwap(string swapId, string userId, bool accept);

    /// <summary>The overrides and pending swap requests, not yet over, that name <paramref name="userId"/>.</summary>
    [Alias("mentions")] Task<IReadOnlyList<string>> Mentions(string userId);

    [Alias("announcements")] Task<IReadOnlyList<Announcement>?> Announcements();
    [Alias("report-delivery")] Task ReportDelivery(DeliveryReport report);
}
