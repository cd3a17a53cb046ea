using Escalation.Configuration;
using Escalation.Deadlines;
using Escalation.Incidents;
using Escalation.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Rotations;

/// <summary>
/// A rotation. Its next handoff is its deadline, written with its state for the deadline service; at each handoff it
/// writes the announcements to its outbox, persists, and only then hands them to the bus. The handoff check is
/// idempotent: <see cref="RotationState.LastHandoff"/> says which handoff was dealt with last.
/// </summary>
public sealed class RotationGrain(
    [PersistentState("rotation", GrainStates.Store)] IPersistentState<RotationState> store,
    IEscalationDirectory directory,
    INotificationDispatcher dispatcher,
    TimeProvider clock,
    IOptions<IncidentOptions> options,
    ILogger<RotationGrain> logger) : Grain, IRotationGrain, IDeadlineOwner
{
    private static readonly TimeSpan KeepHistory = TimeSpan.FromDays(30);
    /// <summary>Every on-call query applies every override, so a rotation keeps a bounded number of them.</summary>
    public const int MaxOverrides = 500;
    public const int MaxPendingSwaps = 100;
    public const int MaxSwapRecords = 1000;

    /// <summary>Overrides and swaps span at most this long, so that checking one walks a bounded number of shifts.</summary>
    public static readonly TimeSpan LongestOverride = TimeSpan.FromDays(366);

    private readonly OutboxHandover _handover = new(options.Value.RedriveAfter);
    private Rotation? _rotation;
    private RotationTimeline? _timeline;

    private RotationState State => store.State;
    private string RotationId => RotationKeys.IdOf(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Load();
        if (_rotation is null && !store.RecordExists) return;
        // After a restart or a lost silo: a handoff that passed meanwhile is announced now, unsent announcements go out.
        await CheckHandoff();
    }

    public Task Reschedule() => this.Guarded(async () =>
    {
        await Load();
        if (_rotation is null)
        {
            await ForgetCore();
            return;
        }
        await CheckHandoffCore();
        logger.LogInformation("rotation.scheduled rotation={RotationId} next_handoff={NextHandoff:O}",
            RotationId, _timeline!.NextHandoffAfter(clock.GetUtcNow()));
    });

    public Task Forget() => this.Guarded(ForgetCore);

    public Task<Rotation?> Definition() => Task.FromResult(_rotation);

    public Task<OnCallPeriod?> OnCallAt(DateTimeOffset at) =>
        Task.FromResult(_timeline?.OnCallAt(at, State.Overrides));

    public Task<IReadOnlyList<OnCallPeriod>?> OnCallBetween(DateTimeOffset from, DateTimeOffset to) =>
        Task.FromResult<IReadOnlyList<OnCallPeriod>?>(_timeline?.OnCallBetween(from, to, State.Overrides).ToList());

    public Task<IReadOnlyList<RotationOverride>?> Overrides() =>
        Task.FromResult<IReadOnlyList<RotationOverride>?>(_rotation is null ? null : State.Overrides.OrderBy(o => o.Start).ToList());

    public Task<IReadOnlyList<SwapRequest>?> SwapRequests() =>
        Task.FromResult<IReadOnlyList<SwapRequest>?>(_rotation is null ? null : State.SwapRequests.ToList());

    public Task<IReadOnlyList<string>> Mentions(string userId)
    {
        var now = clock.GetUtcNow();
        var overrides = State.Overrides.Where(o => o.End > now && (o.UserId == userId || o.ReplacesUserId == userId))
            .Select(o => $"override {o.Id} of rotation {RotationId}");
        var swaps = State.SwapRequests.Where(s => s.Status == SwapStatus.Pending && s.End > now && (s.RequesterId == userId || s.CoveringUserId == userId))
            .Select(s => $"swap request {s.Id} of rotation {RotationId}");
        return Task.FromResult<IReadOnlyList<string>>(overrides.Concat(swaps).ToList());
    }

    public Task<IReadOnlyList<Announcement>?> Announcements() =>
        Task.FromResult<IReadOnlyList<Announcement>?>(_rotation is null ? null : State.Announcements.ToList());

    public Task<RotationChange> AddOverride(RotationOverride candidate) => this.Guarded(async () =>
    {
        if (_rotation is null) return Missing();
        if (candidate.End - candidate.Start > LongestOverride)
            return RotationChange.Invalid("end", "An override may span at most 366 days.");
        if (candidate.Type != OverrideType.Add && !IsScheduled(candidate.ReplacesUserId ?? candidate.UserId, candidate.Start, candidate.End))
            return RotationChange.Invalid(candidate.Type == OverrideType.Replace ? "replaces_user_id" : "user_id",
                $"'{candidate.ReplacesUserId ?? candidate.UserId}' is not scheduled in rotation '{RotationId}' between 'start' and 'end', so the override would change nothing.");
        if (Refusal(candidate) is { } refused) return refused;
        State.Overrides.Add(candidate);
        await Persist(clock.GetUtcNow());
        return RotationChange.Done(candidate);
    });

    public Task<RotationChange> RemoveOverride(string overrideId) => this.Guarded(async () =>
    {
        if (_rotation is null) return Missing();
        if (State.Overrides.RemoveAll(o => o.Id == overrideId) == 0)
            return RotationChange.NotFound($"Rotation '{RotationId}' has no override '{overrideId}'.");
        await Persist(clock.GetUtcNow());
        return RotationChange.Done();
    });

    public Task<RotationChange> RequestSwap(SwapRequest request) => this.Guarded(async () =>
    {
        if (_rotation is null) return Missing();
        var now = clock.GetUtcNow();
        if (request.End <= now) return RotationChange.Invalid("end", "'end' is in the past: there is nothing left to cover.");
        if (request.End - request.Start > LongestOverride) return RotationChange.Invalid("end", "A swap may span at most 366 days.");
        var open = State.SwapRequests.Where(s => s.Status == SwapStatus.Pending && s.End > now).ToList();
        if (open.Count >= MaxPendingSwaps || State.SwapRequests.Count >= MaxSwapRecords)
            return RotationChange.Conflict($"Rotation '{RotationId}' has too many swap requests open; decide some first.");
        if (open.FirstOrDefault(s => s.RequesterId == request.RequesterId && s.Start < request.End && request.Start < s.End) is { } pending)
            return RotationChange.Conflict($"Swap request {pending.Id} from {pending.RequesterId} for an overlapping time is still pending.");
        if (!IsScheduled(request.RequesterId, request.Start, request.End))
            return RotationChange.Invalid("requester_id",
                $"'{request.RequesterId}' is not scheduled in rotation '{RotationId}' between 'start' and 'end', so there is nothing to swap.");
        if (Refusal(request.AsOverride(RotationIds.NewOverrideId())) is { } refused) return refused;

        var swap = request with { Status = SwapStatus.Pending, CreatedAt = now };
        State.SwapRequests.Add(swap);
        await Enqueue(RotationAnnouncements.SwapRequested(_rotation, _timeline!, swap), now);
        await PersistAndSend(now);
        return RotationChange.Done(swap: swap);
    });

    public Task<RotationChange> DecideSwap(string swapId, string userId, bool accept) => this.Guarded(async () =>
    {
        if (_rotation is null) return Missing();
        var at = State.SwapRequests.FindIndex(s => s.Id == swapId);
        if (at < 0) return RotationChange.NotFound($"Rotation '{RotationId}' has no swap request '{swapId}'.");
        var swap = State.SwapRequests[at];
        if (swap.Status != SwapStatus.Pending)
            return RotationChange.Conflict($"Swap request {swapId} is already {swap.Status.ToString().ToLowerInvariant()}.");
        if (userId != swap.CoveringUserId)
            return RotationChange.Forbidden($"Only {swap.CoveringUserId}, who is asked to cover, may {(accept ? "accept" : "decline")} swap request {swapId}.");

        var now = clock.GetUtcNow();
        if (accept)
        {
            if (swap.End <= now) return RotationChange.Conflict($"Swap request {swapId} is for time that has already passed.");
            var @override = swap.AsOverride(RotationIds.NewOverrideId());
            if (Refusal(@override) is { } refused) return refused;
            State.Overrides.Add(@override);
            swap = swap with { Status = SwapStatus.Accepted, DecidedAt = now, OverrideId = @override.Id };
        }
        else
        {
            swap = swap with { Status = SwapStatus.Declined, DecidedAt = now };
        }
        State.SwapRequests[at] = swap;
        await Enqueue(RotationAnnouncements.SwapDecided(_rotation, _timeline!, swap), now);
        await PersistAndSend(now);
        return RotationChange.Done(State.Overrides.Find(o => o.Id == swap.OverrideId), swap);
    });

    public Task ReportDelivery(DeliveryReport report) => this.Guarded(async () =>
    {
        if (State.Announcements.Find(a => a.Id == report.NotificationId) is not { } announcement || !announcement.Settle(report)) return;
        _handover.Settled(announcement.Id);
        await Persist(clock.GetUtcNow());
    });

    public Task<NextDeadline> DeadlineDue() => this.Guarded(async () =>
    {
        // The schedule is read again: this also catches a change or deletion whose notice to this grain was lost.
        await Load();
        await CheckHandoffCore();
        return await store.Answer(NextWake(clock.GetUtcNow()));
    });

    /// <summary>Announces the handoff into the current shift unless it was dealt with; re-sends stale announcements.</summary>
    private Task CheckHandoff() => this.Guarded(CheckHandoffCore);

    private async Task CheckHandoffCore()
    {
        if (_rotation is null)
        {
            await ForgetCore();
            return;
        }
        var now = clock.GetUtcNow();
        var shift = _timeline!.ShiftAt(now);
        if (State.LastHandoff is not { } last || shift.Start < last || State.ScheduleFingerprint != _rotation.Fingerprint)
        {
            // First sight of this schedule, or an edited one: nothing is handed off, the next handoff will be.
            State.LastHandoff = shift.Start;
            State.ScheduleFingerprint = _rotation.Fingerprint;
            await Persist(now);
        }
        else if (shift.Start > last)
        {
            var drafts = RotationAnnouncements.Handoff(_rotation, _timeline, State.Overrides, shift);
            logger.LogInformation("rotation.handoff rotation={RotationId} shift={Index} user={UserId} at={At} late_by={LateBy}",
                RotationId, shift.Index, shift.UserId, shift.Start, now - shift.Start);
            await Enqueue(drafts, now);
            State.LastHandoff = shift.Start;
            await Persist(now);
        }
        SendPending(now);
    }

    private async Task ForgetCore()
    {
        if (store.RecordExists) await store.ClearStateAsync();
        store.State = new RotationState();
        DeactivateOnIdle();
    }

    private async Task Load()
    {
        _rotation = await directory.LoadRotation(RotationId);
        _timeline = _rotation is null ? null : new RotationTimeline(_rotation.Schedule);
    }

    /// <summary>Whether the schedule (overrides aside) puts <paramref name="userId"/> on call at some time in [from, to).</summary>
    private bool IsScheduled(string userId, DateTimeOffset from, DateTimeOffset to) =>
        _rotation!.Participants.Contains(userId) && _timeline!.ShiftsBetween(from, to).Any(s => s.UserId == userId);

    /// <summary>Why <paramref name="candidate"/> may not be added, or null when it may.</summary>
    private RotationChange? Refusal(RotationOverride candidate)
    {
        if (State.Overrides.Count >= MaxOverrides)
            return RotationChange.Conflict($"Rotation '{RotationId}' has {MaxOverrides} overrides, the most it keeps; delete some first.");
        var conflicts = OverrideRules.Conflicts(candidate, State.Overrides);
        return conflicts.Count == 0
            ? null
            : RotationChange.Conflict($"It overlaps override(s) {string.Join(", ", conflicts.Select(c => c.Id))} naming the same person; "
                + "a person can be in one override at a time. Delete or shorten that override first.");
    }

    private RotationChange Missing() => RotationChange.NotFound($"There is no rotation '{RotationId}'.");

    private async Task Enqueue(IEnumerable<AnnouncementDraft> drafts, DateTimeOffset now)
    {
        foreach (var draft in drafts)
        {
            var channel = await ChannelFor(draft);
            var id = Announcement.IdFor(RotationId, draft.EventKey, draft.Recipient, channel);
            if (State.Announcements.Exists(a => a.Id == id)) continue;
            State.Announcements.Add(new Announcement
            {
                Id = id,
                Kind = draft.Kind,
                UserId = draft.UserId,
                SlackChannel = draft.SlackChannel,
                Channel = channel,
                Text = draft.Text,
                Status = NotificationStatus.Pending,
                CreatedAt = now,
            });
        }
    }

    /// <summary>The team channel hears it in Slack; a person by Slack message, else by email, else in the log. Never by SMS: nothing here is urgent.</summary>
    private async Task<string> ChannelFor(AnnouncementDraft draft)
    {
        if (draft.UserId is null) return ChannelNames.Slack;
        var user = await directory.FindUser(draft.UserId);
        return new[] { ChannelNames.Slack, ChannelNames.Email }.FirstOrDefault(c => user?.AddressFor(c) is not null) ?? ChannelNames.Log;
    }

    private async Task PersistAndSend(DateTimeOffset now)
    {
        await Persist(now);
        SendPending(now);
    }

    /// <summary>Writes the state, first dropping what ended long ago so that it does not grow without bound.</summary>
    private async Task Persist(DateTimeOffset now)
    {
        var horizon = now - KeepHistory;
        State.Overrides.RemoveAll(o => o.End < horizon);
        State.SwapRequests.RemoveAll(s => s.End < horizon || s.DecidedAt < horizon);
        State.Announcements.RemoveAll(a => a.Status != NotificationStatus.Pending && a.CreatedAt < horizon);
        await store.WriteWith(NextWake(now));
    }

    private void SendPending(DateTimeOffset now)
    {
        var messages = State.Announcements
            .Where(a => a.Status == NotificationStatus.Pending && _handover.TakeForSending(a.Id, now, onlyStale: true))
            .Select(a => (INotificationMessage)new AnnouncementRequest(a.Id, RotationId, a.Kind, a.UserId, a.SlackChannel, a.Channel, a.Text))
            .ToList();
        if (messages.Count > 0) dispatcher.Dispatch(messages);
    }

    /// <summary>The next handoff, or sooner when an announcement is due to be handed over again.</summary>
    private DateTimeOffset? NextWake(DateTimeOffset now)
    {
        if (_timeline is null) return null;
        DateTimeOffset due = _timeline.NextHandoffAfter(now);
        if (_handover.NextRedrive(State.Announcements.Exists(a => a.Status == NotificationStatus.Pending), now) is { } redrive && redrive < due)
            due = redrive;
        return due;
    }
}
