using System.Globalization;

namespace Escalation.Rotations;

/// <summary>
/// What a rotation says, and to whom, at a handoff or a swap. Pure: the grain decides when, this decides what.
/// Times are shown in the rotation's zone, since that is the zone its handoffs are defined in.
/// </summary>
public static class RotationAnnouncements
{
    public const string HandoffKind = "handoff";
    public const string SwapRequestedKind = "swap_requested";
    public const string SwapAcceptedKind = "swap_accepted";
    public const string SwapDeclinedKind = "swap_declined";

    /// <summary>
    /// The handoff into <paramref name="shift"/>: the people who come on call hear it, the people who go off call
    /// hear it, and the announce channel hears it. Overrides count, so a covering engineer is told instead of the
    /// scheduled one. When the handoff changes nobody (one participant, or an override spanning it) it says nothing.
    /// </summary>
    public static IReadOnlyList<AnnouncementDraft> Handoff(
        Rotation rotation, RotationTimeline timeline, IReadOnlyList<RotationOverride> overrides, Shift shift)
    {
        var before = timeline.OnCallAt(shift.Start.AddTicks(-1), overrides).UserIds;
        var after = timeline.OnCallAt(shift.Start, overrides);
        var incoming = after.UserIds.Except(before).ToList();
        var outgoing = before.Except(after.UserIds).ToList();
        if (incoming.Count == 0 && outgoing.Count == 0) return [];

        var key = $"handoff/{shift.Start.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        var (from, until) = (At(timeline, shift.Start), At(timeline, shift.End));
        var covering = after.UserIds.Contains(shift.UserId) ? "" : $" (covering for {shift.UserId})";
        var newcomers = Names(incoming.Count > 0 ? incoming : after.UserIds);

        var drafts = new List<AnnouncementDraft>();
        foreach (var user in incoming)
            drafts.Add(new(HandoffKind, key, user, null,
                $"You are on call for {rotation.Name} from {from} until the next handoff at {until}{(user == shift.UserId ? "" : covering)}."));
        foreach (var user in outgoing)
            drafts.Add(new(HandoffKind, key, user, null,
                $"Your on-call shift for {rotation.Name} ended at {from}; {newcomers} took over."));
        if (rotation.AnnounceChannel is { } channel)
            drafts.Add(new(HandoffKind, key, null, channel,
                $"Handoff in {rotation.Name}: {newcomers} on call from {from} until {until}{covering}, taking over from {Names(outgoing)}."));
        return drafts;
    }

    /// <summary>The covering engineer is asked.</summary>
    public static IReadOnlyList<AnnouncementDraft> SwapRequested(Rotation rotation, RotationTimeline timeline, SwapRequest swap) =>
    [
        new(SwapRequestedKind, SwapKey(swap, "requested"), swap.CoveringUserId, null,
            $"{swap.RequesterId} asks you to cover their on-call time in {rotation.Name} from {At(timeline, swap.Start)} to {At(timeline, swap.End)}"
            + $"{Reason(swap)}. Accept or decline swap request {swap.Id}."),
    ];

    /// <summary>The requester hears the answer, and the team channel is told who is covering.</summary>
    public static IReadOnlyList<AnnouncementDraft> SwapDecided(Rotation rotation, RotationTimeline timeline, SwapRequest swap)
    {
        var accepted = swap.Status == SwapStatus.Accepted;
        var text = accepted
            ? $"{swap.CoveringUserId} covers {swap.RequesterId} in {rotation.Name} from {At(timeline, swap.Start)} to {At(timeline, swap.End)}{Reason(swap)} (swap {swap.Id})."
            : $"{swap.CoveringUserId} declined to cover {swap.RequesterId} in {rotation.Name} from {At(timeline, swap.Start)} to {At(timeline, swap.End)} (swap {swap.Id}).";
        var (kind, key) = accepted ? (SwapAcceptedKind, SwapKey(swap, "accepted")) : (SwapDeclinedKind, SwapKey(swap, "declined"));
        var drafts = new List<AnnouncementDraft> { new(kind, key, swap.RequesterId, null, text) };
        if (rotation.AnnounceChannel is { } channel) drafts.Add(new(kind, key, null, channel, text));
        return drafts;
    }

    private static string SwapKey(SwapRequest swap, string what) => $"swap/{swap.Id}/{what}";

    private static string Reason(SwapRequest swap) => string.IsNullOrWhiteSpace(swap.Reason) ? "" : $" ({swap.Reason})";

    private static string Names(IReadOnlyCollection<string> users) => users.Count == 0 ? "no one" : string.Join(" and ", users);

    private static string At(RotationTimeline timeline, DateTimeOffset at) =>
        timeline.InRotationZone(at).ToString("ddd yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + timeline.Zone.Id;
}
