using Escalation.Configuration;
using Escalation.Deadlines;
using Escalation.Escalations;
using Escalation.Json;
using Escalation.Maintenance;
using Escalation.Notifications;
using Escalation.Practice;
using Escalation.Routing;
using Escalation.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Incidents;

/// <summary>
/// An incident. Every change is persisted before anything leaves the grain: new pages are written to the
/// outbox (the notifications list) and only then handed to the bus. Its row in <see cref="IIncidentStore"/> holds the
/// state and the next deadline; the deadline service calls <see cref="DeadlineDue"/> then, which is idempotent. No
/// timer or reminder keeps a waiting incident active: it is collected, and activated again at its deadline.
/// </summary>
public sealed class IncidentGrain(
    IIncidentStore incidents,
    IEscalationDirectory directory,
    TargetResolver targets,
    INotificationDispatcher dispatcher,
    IMaintenanceCalendar maintenance,
    Releases.IReleaseLookup releases,
    TimeProvider clock,
    IOptions<IncidentOptions> options,
    EscalationMetrics metrics,
    ILogger<IncidentGrain> logger) : Grain, IIncidentGrain, IDeadlineOwner
{
    private const int MaxAlertsOnTimeline = 50;

    private readonly OutboxHandover _handover = new(options.Value.RedriveAfter);
    private IncidentState? _state;
    // What the row holds: the version this activation read or last wrote, and the deadline written with it.
    private long _storedVersion;
    private DateTimeOffset? _storedDeadline;
    private bool _unsavedDeliveries;
    private bool _loaded;
    // A command failed after changing the state in memory: nothing here may be written any more.
    private bool _halfApplied;
    // Deactivated as the silo stops with pages handed to the bus: the row is written to wake at once.
    private bool _handBackNow;

    private bool Exists => _state is not null;
    private IncidentState State => _state!;
    private string IncidentId => this.GetPrimaryKeyString();

    /// <summary>
    /// Reads the row at the first call of the activation (not when activating: an incident just opened has none).
    /// After a crash or a lost silo, deadlines that passed meanwhile fire then, and unsent pages go out again.
    /// </summary>
    private async Task Load()
    {
        if (_loaded) return;
        var stored = await incidents.Load(IncidentId);
        _loaded = true;
        if (stored is null) return;
        (_state, _storedVersion, _storedDeadline) = (stored.State, stored.State.Version, stored.NextDeadline);
        await CheckDeadlinesCore();
    }

    /// <summary>
    /// Delivery reports not written yet are written now, unless a command failed meanwhile: its half-applied change
    /// would go with them. They are not lost then: their pages, still pending in the stored state, are handed over
    /// again by the next activation, and the ledger answers them.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_halfApplied || !Exists) return;
        // This silo is stopping (a drain, a rolling restart): pages it handed to its own bus may stop with it. The row
        // then wakes at once, so whichever silo takes the deadline over hands them over again now rather than after
        // RedriveAfter; the ledger answers any that did go out.
        var now = clock.GetUtcNow();
        _handBackNow = reason.ReasonCode == DeactivationReasonCode.ShuttingDown && HasHandedOver(now);
        if (_unsavedDeliveries || _handBackNow) await Persist(now);
    }

    public Task<TriggerOutcome> Trigger(IncidentTrigger trigger) => Guarded(() => TriggerCore(trigger));
    public Task<TriggerOutcome> Open(IncidentTrigger trigger)
    {
        _loaded = true;
        return Trigger(trigger);
    }
    public Task<CommandResult> Acknowledge(string by, string? note, CommandExpectation? expected = null) => Guarded(() => AcknowledgeCore(by, note, expected));
    public Task<CommandResult> Resolve(string by, string? note, Recovery? recovery = null, CommandExpectation? expected = null, bool bySource = false) =>
        Guarded(() => ResolveCore(by, note, recovery, expected, bySource));
    public Task<CommandResult> Escalate(string by, string? note) => Guarded(() => EscalateCore(by, note));
    public Task<CommandResult> SetPriority(Priority priority, string by) => Guarded(() => SetPriorityCore(priority, by));
    public Task<CommandResult> Hold(MaintenanceHold hold) => Guarded(() => HoldCore(hold));
    public Task<CommandResult> Release(string windowId) => Guarded(() => ReleaseCore(windowId));
    public Task<CommandResult> PostStatusUpdate(string by, string message) => Guarded(() => PostStatusUpdateCore(by, message));

    /// <summary>Every call: the row read first (once per activation), then the command, guarded.</summary>
    private Task<T> Guarded<T>(Func<Task<T>> command) => this.Guarded(async () =>
    {
        await Load();
        return await command();
    }, failed: () => _halfApplied = true);

    private Task Guarded(Func<Task> command) => Guarded(async () =>
    {
        await command();
        return true;
    });

    private async Task<TriggerOutcome> TriggerCore(IncidentTrigger trigger)
    {
        var now = clock.GetUtcNow();
        if (Exists)
        {
            if (State.Status == IncidentStatus.Resolved) return TriggerOutcome.Closed;
            State.AlertCount++;
            State.LastSeenAt = now;
            if (State.AlertCount <= MaxAlertsOnTimeline)
                Note(now, "alert", trigger.Actor, $"Alert #{State.AlertCount} received: {trigger.Title}");
            await Persist(now);
            return TriggerOutcome.AlertAdded;
        }

        var service = await directory.FindService(trigger.ServiceId)
            ?? throw new InvalidOperationException($"Service '{trigger.ServiceId}' does not exist.");
        var policy = await directory.FindPolicy(service.EscalationPolicyId)
            ?? throw new InvalidOperationException($"Escalation policy '{service.EscalationPolicyId}' does not exist.");
        var priority = trigger.Priority ?? PriorityRules.FromSeverity(trigger.Severity);
        var route = trigger.Route ?? AlertRouting.RouteOf(service, priority);
        if (trigger.SuppressedBy is not null) route = route with { Action = RouteAction.RecordOnly };
        // Asked for every route: one recorded now may be raised to a paging priority during the window.
        var hold = await maintenance.HoldFor(trigger.ServiceId, now);
        var release = await ReleaseWatchedNow(trigger.ServiceId, now);

        _state = new IncidentState
        {
            Id = IncidentId,
            ServiceId = trigger.ServiceId,
            DedupKey = trigger.DedupKey,
            Title = trigger.Title,
            Severity = trigger.Severity,
            Source = trigger.Source,
            Component = trigger.Component,
            Group = trigger.Group,
            Class = trigger.Class,
            DetailsJson = trigger.DetailsJson,
            Links = [.. trigger.Links],
            Status = IncidentStatus.Triggered,
            CreatedAt = now,
            LastSeenAt = now,
            AlertCount = 1,
            Policy = policy,
            AcknowledgementTimeout = service.AcknowledgementTimeout,
            Position = EscalationPosition.Start,
            Urgency = route.Urgency,
            Priority = priority,
            Route = route,
            PriorityReason = trigger.PriorityReason ?? $"from severity {trigger.Severity.ToString().ToLowerInvariant()}",
            SuppressedBy = trigger.SuppressedBy,
            Labels = trigger.Labels is { Count: > 0 } labels ? new Dictionary<string, string>(labels) : null,
            Held = hold,
            Cycles = [new ResponseCycle { Cycle = 0, StartedAt = now }],
            Release = release,
        };
        TakePractice(service, now);
        Note(now, "triggered", trigger.Actor, $"Incident triggered: {trigger.Title} ({priority}, {RouteText(route)})");
        if (release is not null)
            Note(now, "release", "system", $"Opened {IsoDuration.Format(TimeSpan.FromSeconds(Math.Round((now - release.At).TotalSeconds)))} after the production release \"{release.Summary}\" ({release.At:yyyy-MM-ddTHH:mm:ssZ}), during its watch");
        if (trigger.SuppressedBy is { } rule) Note(now, "suppressed", "system", $"Suppressed by event rule {rule}: recorded, nobody paged");
        if (hold is not null)
            Note(now, "maintenance", "system", $"Arrived during maintenance window {hold.WindowId}{Reason(hold)}: recorded, nobody paged until {hold.Until:yyyy-MM-ddTHH:mm:ssZ}");
        else if (route.Posts) PostInChannel(service, now);
        if (route.Pages && hold is null)
        {
            await PageFrom(EscalationPosition.Start, now);
            KeepTrying(now);
        }
        if (await Write(now) == IncidentWriteOutcome.DuplicateOpen)
        {
            // Another activation opened an incident for this dedup key first: this one never existed.
            _state = null;
            DeactivateOnIdle();
            return TriggerOutcome.Duplicate;
        }
        SendPending(now, onlyStale: false);
        metrics.Opened(State.ServiceId, State.Priority.ToString());
        return TriggerOutcome.Opened;
    }

    private async Task<CommandResult> AcknowledgeCore(string by, string? note, CommandExpectation? expected)
    {
        if (!Exists) return CommandResult.NotFound(IncidentId);
        switch (State.Status)
        {
            case IncidentStatus.Resolved:
                return CommandResult.Conflict($"Incident {IncidentId} is resolved and cannot be acknowledged.");
            case IncidentStatus.Acknowledged:
                return CommandResult.Conflict($"Incident {IncidentId} is already acknowledged by {State.AcknowledgedBy}.");
        }
        if (expected?.UnmetBy(State, acknowledging: true) is { } unmet) return CommandResult.Conflict(unmet);

        var now = clock.GetUtcNow();
        State.Status = IncidentStatus.Acknowledged;
        State.AcknowledgedAt = now;
        State.AcknowledgedBy = by;
        State.LastAcknowledgedCycle = State.Cycle;
        State.NextEscalationAt = null;
        State.RetryAt = null;
        State.RetriggerAt = now + State.AcknowledgementTimeout;
        Responded(now, by);
        CancelScheduledPages(now, keep: null);
        Note(now, "acknowledged", by, WithNote($"Acknowledged by {by}", note));
        await PersistAndSend(now);
        metrics.Acknowledged(State.ServiceId, State.Priority.ToString(), now - (State.Cycles.Find(c => c.Cycle == State.Cycle)?.StartedAt ?? State.CreatedAt));
        return CommandResult.Done;
    }

    private async Task<CommandResult> ResolveCore(string by, string? note, Recovery? recovery, CommandExpectation? expected, bool bySource)
    {
        if (!Exists) return CommandResult.NotFound(IncidentId);
        if (State.Status == IncidentStatus.Resolved)
            return CommandResult.Conflict($"Incident {IncidentId} is already resolved by {State.ResolvedBy}.");
        if (expected?.UnmetBy(State, acknowledging: false) is { } unmet) return CommandResult.Conflict(unmet);

        var now = clock.GetUtcNow();
        State.Status = IncidentStatus.Resolved;
        State.ResolvedAt = now;
        State.ResolvedBy = by;
        State.Recovery = recovery is { IsEmpty: false } ? recovery : null;
        State.Held = null;
        State.NextEscalationAt = null;
        State.RetriggerAt = null;
        State.RetryAt = null;
        State.StatusUpdateDueAt = null;
        // A person resolving is the cycle's first answer; a source saying it recovered is not anyone's.
        if (!bySource) Responded(now, by);
        CancelScheduledPages(now, keep: null);
        Note(now, "resolved", by, WithNote($"Resolved by {by}", note));
        await PersistAndSend(now);
        metrics.Resolved(State.ServiceId, State.Priority.ToString());
        return CommandResult.Done;
    }

    /// <summary>
    /// Sets the priority by hand: the incident then takes that priority's route on its service. Raised to a route that
    /// pages, an incident that paged nobody yet is paged from level 1 now; lowered to one that does not, its
    /// escalation stops (scheduled pages cancelled) and nobody more is paged.
    /// </summary>
    private async Task<CommandResult> SetPriorityCore(Priority priority, string by)
    {
        if (!Exists) return CommandResult.NotFound(IncidentId);
        if (State.Status == IncidentStatus.Resolved)
            return CommandResult.Conflict($"Incident {IncidentId} is resolved: its priority can no longer change.");
        if (priority == State.Priority && State.SuppressedBy is null) return CommandResult.Done;
        var service = await directory.FindService(State.ServiceId)
            ?? throw new InvalidOperationException($"Service '{State.ServiceId}' does not exist.");

        var now = clock.GetUtcNow();
        var before = State.Route;
        var route = AlertRouting.RouteOf(service, priority);
        Note(now, "priority", by, $"Priority changed from {State.Priority} to {priority} by {by}: {RouteText(route)}");
        (State.Priority, State.Route, State.Urgency) = (priority, route, route.Urgency);
        State.PriorityReason = $"set by {by}";
        State.SuppressedBy = null;
        TakePractice(service, now);
        if (State.Held is null && (route.Pages || route.Posts)) await TakeHold(now, "Priority raised during maintenance window");
        if (State.Held is null && route.Posts) PostInChannel(service, now);
        if (State.Held is null && route.Pages && !before.Pages && State.Status == IncidentStatus.Triggered)
        {
            RestartResponseClock(now);
            await PageFrom(EscalationPosition.Start, now);
            KeepTrying(now);
        }
        else if (!route.Pages && before.Pages)
        {
            CancelScheduledPages(now, keep: null);
            (State.NextEscalationAt, State.RetryAt) = (null, null);
        }
        await PersistAndSend(now);
        return CommandResult.Done;
    }

    /// <summary>
    /// A maintenance window started over the incident: escalation pauses and pages scheduled for later are cancelled
    /// until <see cref="MaintenanceHold.Until"/>, its own deadline. A longer hold replaces a shorter one.
    /// </summary>
    private async Task<CommandResult> HoldCore(MaintenanceHold hold)
    {
        if (!Exists) return CommandResult.NotFound(IncidentId);
        var now = clock.GetUtcNow();
        if (State.Status == IncidentStatus.Resolved || hold.Until <= now || State.Held?.Until >= hold.Until) return CommandResult.Done;
        if (State.Held is null)
            Note(now, "maintenance", "system", $"Maintenance window {hold.WindowId} started{Reason(hold)}: escalation paused, nobody paged until {hold.Until:yyyy-MM-ddTHH:mm:ssZ}");
        State.Held = hold;
        CancelScheduledPages(now, keep: null);
        await PersistAndSend(now);
        return CommandResult.Done;
    }

    /// <summary>Whether a deadline that pages someone has come: an escalation, a re-trigger, a retry, or a page scheduled for later.</summary>
    private bool PagingIsDue(DateTimeOffset now) =>
        State.Status != IncidentStatus.Resolved && State.Route.Pages &&
        (State.NextDeadline <= now || State.Notifications.Exists(n => n.Status == NotificationStatus.Pending && n.DueAt <= now));

    /// <summary>Holds the incident if a window holds its service now; true when it did.</summary>
    private async Task<bool> TakeHold(DateTimeOffset now, string what)
    {
        if (await maintenance.HoldFor(State.ServiceId, now) is not { } hold) return false;
        Note(now, "maintenance", "system", $"{what} {hold.WindowId}{Reason(hold)}: escalation paused, nobody paged until {hold.Until:yyyy-MM-ddTHH:mm:ssZ}");
        State.Held = hold;
        CancelScheduledPages(now, keep: null);
        return true;
    }

    /// <summary>A window ended (on time, early, or deleted): the incident is released unless another window still holds it.</summary>
    private async Task<CommandResult> ReleaseCore(string windowId)
    {
        if (!Exists) return CommandResult.NotFound(IncidentId);
        if (State.Held?.WindowId != windowId) return CommandResult.Done;
        var now = clock.GetUtcNow();
        if (await ReleaseIfOver(now)) await PersistAndSend(now);
        return CommandResult.Done;
    }

    /// <summary>
    /// Releases the incident when no window holds its service any more. One that arrived during the window and is
    /// still open takes its route now, as if it had just arrived: posted, and paged from level 1; one that was
    /// escalating before resumes, its current level given a full delay again. True when the state changed.
    /// </summary>
    private async Task<bool> ReleaseIfOver(DateTimeOffset now)
    {
        if (State.Held is not { } held) return false;
        if (await maintenance.HoldFor(State.ServiceId, now) is { } still)
        {
            if (still == held) return false;
            State.Held = still;
            return true;
        }
        State.Held = null;
        if (State.Status == IncidentStatus.Resolved) return true;
        // Nobody was asked for updates while the window held the incident: the clock starts again now.
        if (State.StatusUpdateDueAt < now) State.StatusUpdateDueAt = now + State.StatusUpdateEvery;
        var arrivedDuring = State.NotificationsArchived == 0 && !State.Notifications.Exists(n => n.Kind is NotificationKind.Page or NotificationKind.ChannelPost);
        if (arrivedDuring)
        {
            Note(now, "maintenance", "system", $"Maintenance window {held.WindowId} is over and the alert is still open: {(State.Route.Pages ? "paging now" : RouteText(State.Route))}");
            var service = await directory.FindService(State.ServiceId);
            if (service is not null && State.Route.Posts) PostInChannel(service, now);
            if (State.Route.Pages && State.Status == IncidentStatus.Triggered)
            {
                RestartResponseClock(now);
                await PageFrom(EscalationPosition.Start, now);
                KeepTrying(now);
            }
            return true;
        }
        Note(now, "maintenance", "system", $"Maintenance window {held.WindowId} is over: escalation resumes at level {State.Position.Level + 1}");
        if (State.Status == IncidentStatus.Triggered && State.NextEscalationAt is not null)
            State.NextEscalationAt = EscalationStepper.DeadlineAfterPaging(State.Policy, State.Position, now);
        KeepTrying(now);
        return true;
    }

    /// <summary>The release link is for people reading the incident: failing to read it must not keep anyone from being paged.</summary>
    private async Task<Releases.ReleaseLink?> ReleaseWatchedNow(string serviceId, DateTimeOffset now)
    {
        try
        {
            return await releases.WatchedAt(serviceId, now);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Incident {IncidentId}: could not look up a release being watched", IncidentId);
            return null;
        }
    }

    private static string Reason(MaintenanceHold hold) => string.IsNullOrWhiteSpace(hold.Reason) ? "" : $" ({hold.Reason})";

    private static string RouteText(PriorityRoute route) => route.Action switch
    {
        RouteAction.Page => $"{route.Urgency.ToString().ToLowerInvariant()} urgency",
        RouteAction.PostOnly => "posted to the channel only, nobody paged",
        _ => "recorded only, nobody paged",
    };

    /// <summary>
    /// Posts the incident, once, in the service's Slack channel and in the route's Discord channel, each if there is one
    /// and it has not been posted there yet; a route that posts to neither and pages nobody is noted instead.
    /// </summary>
    private void PostInChannel(Service service, DateTimeOffset now)
    {
        var slack = ChannelPostOn(ChannelNames.Slack) is not null;
        if (!slack && service.SlackChannel is { } slackChannel)
        {
            AddChannelPost(ChannelNames.Slack, slackChannel, now);
            slack = true;
        }
        var discord = ChannelPostOn(ChannelNames.Discord) is not null;
        if (!discord && State.Route.DiscordChannel is { } discordChannel)
        {
            AddChannelPost(ChannelNames.Discord, discordChannel, now);
            discord = true;
        }
        if (!slack && !discord && !State.Route.Pages)
            Note(now, "not_posted", "system", $"{State.Priority} posts to the service's channel, but the service has none");
    }

    private NotificationRecord? ChannelPostOn(string channel) =>
        State.Notifications.Find(n => n.Kind == NotificationKind.ChannelPost && n.Channel == channel);

    private async Task<CommandResult> EscalateCore(string by, string? note)
    {
        if (!Exists) return CommandResult.NotFound(IncidentId);
        if (State.Status == IncidentStatus.Resolved)
            return CommandResult.Conflict($"Incident {IncidentId} is resolved and cannot be escalated.");
        if (EscalationStepper.Next(State.Policy, State.Position) is not { } next)
            return CommandResult.Conflict($"Incident {IncidentId} is already at the last level of its escalation policy.");

        var now = clock.GetUtcNow();
        ReturnToTriggered();
        await EscalateTo(next, now, by, to => WithNote($"Escalated by {by} to {to}", note));
        await PersistAndSend(now);
        return CommandResult.Done;
    }

    public Task<IncidentState?> Get() => Guarded(() => Task.FromResult(_state));

    /// <summary>
    /// Settles a notification. A plain success is not written at once: the delivery ledger is the durable record of
    /// a send, and a report lost in a crash comes back when the page, still pending after reactivation, is handed
    /// over again and the ledger answers. A failure is written at once, because it may page someone else: the
    /// person's next channel, or the next level when nobody at this one could be reached.
    /// </summary>
    public Task ReportDelivery(DeliveryReport report) => Guarded(() => ReportDeliveryCore(report));

    private async Task ReportDeliveryCore(DeliveryReport report)
    {
        if (!Exists) return;
        var page = State.Notifications.Find(n => n.Id == report.NotificationId);
        // Reports are at-least-once: a settled page stays as it is, except that a provider may say later that a
        // message it accepted was never delivered.
        if (page is null) return;
        var lateFailure = page.Status == NotificationStatus.Sent && report.Status == NotificationStatus.Failed;
        if (page.Status != NotificationStatus.Pending && !lateFailure) return;

        page.Status = report.Status;
        page.Attempts = Math.Max(page.Attempts, report.Attempts);
        page.SentAt = report.Status == NotificationStatus.Sent ? report.At : page.SentAt;
        page.Error = report.Error;
        page.DeliveredVia = report.DeliveredVia;
        page.Permanent = report.Status == NotificationStatus.Failed && report.Permanent;
        _handover.Settled(page.Id);
        var now = clock.GetUtcNow();
        // A Slack or Discord update or a reminder that went out is not news; one that failed is.
        if (page.Kind is not (NotificationKind.SlackUpdate or NotificationKind.DiscordUpdate or NotificationKind.Reminder) || report.Status != NotificationStatus.Sent)
            Note(report.At, TimelineType(report.Status), "system", DeliveryText(page));
        _unsavedDeliveries = true;

        // Written to the log because its channel is not configured: recorded as sent, but nobody was reached by it.
        var unreached = report.Status == NotificationStatus.Sent && report.DeliveredVia is { } via && via != page.Channel;
        var failed = report.Status == NotificationStatus.Failed;
        var pagesMore = page.Kind == NotificationKind.Page && State.Status == IncidentStatus.Triggered && State.Held is null && IsAtCurrentPosition(page)
            && ((failed && (await FallBack(page, now) || await EscalateIfLevelUnreached(now))) || (unreached && await FallBack(page, now)));
        var pagesAgainLater = failed && KeepTrying(now);
        // A plain success waits for the next write (at the latest the re-drive deadline or deactivation).
        if (pagesMore || pagesAgainLater) await PersistAndSend(now);
    }

    /// <summary>
    /// A failed high-urgency page goes out again on the person's next channel: one their rules schedule later is
    /// brought forward, or else the next channel they have an address for, email last.
    /// </summary>
    private bool IsAtCurrentPosition(NotificationRecord page) => page.IsAt(State.Cycle, State.Position.Level + 1, State.Position.Loop);

    private async Task<bool> FallBack(NotificationRecord failed, DateTimeOffset now)
    {
        if (State.Urgency != Urgency.High) return false;
        var samePerson = State.Notifications
            .Where(n => n.Kind == NotificationKind.Page && n.UserId == failed.UserId && n.IsAt(failed.Cycle, failed.Level, failed.Loop))
            .ToList();
        var scheduled = samePerson.Where(n => n.IsScheduled(now)).MinBy(n => ChannelNames.FallbackRank(n.Channel));
        if (scheduled is not null)
        {
            scheduled.DueAt = null;
            Note(now, "fallback", "system", $"Paging {failed.UserId} via {scheduled.Channel} now instead of later, because {failed.Channel} failed");
            return true;
        }
        var user = await directory.FindUser(failed.UserId);
        if (NotificationPlan.Fallback(user, samePerson.Select(n => n.Channel).ToList()) is not { } next) return false;
        AddPageRecord(failed.UserId, next, new EscalationPosition(failed.Level - 1, failed.Loop), now, dueAt: null);
        Note(now, "fallback", "system", $"Paging {failed.UserId} via {next} instead, because {failed.Channel} failed");
        return true;
    }

    /// <summary>
    /// When every page of the current level has failed, nobody there can act: the next level is paged at once. Only
    /// within one walk of the policy: a repeat of the walk waits for its deadline as usual, so that an outage of every
    /// provider does not use up the repeats in seconds. Meanwhile <see cref="KeepTrying"/> pages the same people again.
    /// </summary>
    private async Task<bool> EscalateIfLevelUnreached(DateTimeOffset now)
    {
        var at = State.Position;
        var level = State.Notifications.Where(n => n.Kind == NotificationKind.Page && n.IsAt(State.Cycle, at.Level + 1, at.Loop)).ToList();
        if (level.Exists(n => n.Status != NotificationStatus.Failed)) return false;
        if (EscalationStepper.Next(State.Policy, at) is not { } next || next.Loop != at.Loop) return false;
        await EscalateTo(next, now, "system", to => $"No page at level {at.Level + 1} could be delivered: escalated at once to {to}");
        return true;
    }

    /// <summary>
    /// Nobody is given up on: while someone paged in this cycle has not been reached (see <see cref="NobodyReached"/>),
    /// a round of paging them again is scheduled; the policy still moves on at its deadlines meanwhile. While nobody
    /// at all has been reached, with nobody left to page again, it looks again for someone to page. True when it
    /// scheduled a round just now.
    /// </summary>
    private bool KeepTrying(DateTimeOffset now)
    {
        if (State.Status != IncidentStatus.Triggered || State.RetryAt is not null || !State.Route.Pages || State.Held is not null) return false;
        var nobody = NobodyReached.In(State.Notifications, State.Cycle);
        var owed = NobodyReached.Owed(State.Notifications, State.Cycle);
        if (owed.Count == 0 && !nobody) return false;
        var round = State.RetryRound + 1;
        State.RetryAt = now + NobodyReached.Gap(round, options.Value.RetryUnreachedAfter, options.Value.RetryUnreachedAtMost);
        var again = owed.Count > 0 ? $"paging {string.Join(", ", owed.Select(p => p.UserId))} again" : "looking for someone to page";
        var reached = NobodyReached.AnyoneReached(State.Notifications, State.Cycle);
        // Looking again for anyone to page is told once, not every minute.
        if (owed.Count > 0 || round == 1) Note(now, "nobody_reached", "system", $"{(reached ? "Not reached yet" : "Nobody has been reached yet")}: " +
            $"{again} at {State.RetryAt:yyyy-MM-ddTHH:mm:ssZ} (try {round + 1})");
        return true;
    }

    /// <summary>The round <see cref="KeepTrying"/> scheduled: the people still owed a page, on every channel that may reach them.</summary>
    private async Task PageAgain(DateTimeOffset now)
    {
        State.RetryAt = null;
        var owed = NobodyReached.Owed(State.Notifications, State.Cycle);
        if (owed.Count == 0 && !NobodyReached.In(State.Notifications, State.Cycle)) return;
        State.RetryRound++;
        if (owed.Count == 0)
        {
            // No level had anyone to page: look again (a rotation may have someone on call now), saying nothing new
            // unless someone turns up.
            if (await FindStaffedLevel(EscalationPosition.Start, now, quiet: true) is { } found)
            {
                Note(now, "escalated", "system", $"Found someone to page: {await Describe(found, found.At)}");
                await PageLevel(found, now);
            }
            return;
        }
        foreach (var (userId, at) in owed)
        foreach (var channel in NobodyReached.Channels(await directory.FindUser(userId), State.Urgency))
            AddPageRecord(userId, channel, at, now, dueAt: null, retry: State.RetryRound);
    }

    /// <summary>
    /// Called by the deadline service at the stored deadline (or earlier, or again: it is idempotent). Acts on what is
    /// due, then makes sure the row holds the next deadline and the delivery reports taken in since the last write.
    /// </summary>
    public Task<NextDeadline> DeadlineDue() => Guarded(async () =>
    {
        if (!Exists) return new NextDeadline(null, 0);
        // (A first call of the activation has just caught up in Load; a second look is cheap and idempotent.)
        await CheckDeadlinesCore();
        var now = clock.GetUtcNow();
        if (_unsavedDeliveries || NextWake(now) != _storedDeadline) await Persist(now);
        return new NextDeadline(_storedDeadline, _storedVersion);
    });

    private async Task CheckDeadlinesCore()
    {
        var now = clock.GetUtcNow();
        var changed = State.Held is { } held && held.Until <= now && await ReleaseIfOver(now);
        // A window whose grain has not reached this incident (yet) still holds it before anything pages.
        if (State.Held is null && PagingIsDue(now)) changed |= await TakeHold(now, "Maintenance window");
        if (State.Held is not null)
        {
            // Held by a maintenance window: nothing escalates, re-triggers or pages again until it ends.
            if (changed) await Persist(now);
            SendPending(now, onlyStale: !changed);
            return;
        }

        if (State.Status == IncidentStatus.Triggered && State.NextEscalationAt <= now)
        {
            if (EscalationStepper.Next(State.Policy, State.Position) is { } next)
            {
                var waited = IsoDuration.Format(State.Policy.Levels[State.Position.Level].EscalateAfter);
                await EscalateTo(next, now, "system", to => $"Not acknowledged within {waited}: escalated to {to}");
            }
            else
            {
                State.NextEscalationAt = null;
            }
            changed = true;
        }
        else if (State.Status == IncidentStatus.Acknowledged && State.RetriggerAt <= now)
        {
            ReturnToTriggered();
            State.Cycle++;
            State.Cycles.Add(new ResponseCycle { Cycle = State.Cycle, StartedAt = now });
            (State.RetryRound, State.RetryAt) = (0, null);
            Note(now, "retriggered", "system",
                $"Acknowledgement timed out after {IsoDuration.Format(State.AcknowledgementTimeout ?? TimeSpan.Zero)}: escalating again from level 1");
            if (State.Route.Pages) await PageFrom(EscalationPosition.Start, now);
            changed = true;
        }

        if (State.Status == IncidentStatus.Triggered && State.RetryAt <= now)
        {
            await PageAgain(now);
            changed = true;
        }
        changed |= KeepTrying(now);
        changed |= await KeepPractice(now);

        if (changed) await Persist(now);
        SendPending(now, onlyStale: !changed);
    }

    /// <summary>
    /// A status update: on the timeline and in the Slack thread, and the reminder clock starts again. A resolved
    /// incident takes none: what happened next belongs in its postmortem.
    /// </summary>
    private async Task<CommandResult> PostStatusUpdateCore(string by, string message)
    {
        if (!Exists) return CommandResult.NotFound(IncidentId);
        if (State.Status == IncidentStatus.Resolved)
            return CommandResult.Conflict($"Incident {IncidentId} is resolved: status updates are for open incidents.");
        var now = clock.GetUtcNow();
        State.LastStatusUpdateAt = now;
        if (State.StatusUpdateEvery is { } every) State.StatusUpdateDueAt = now + every;
        Note(now, "status_update", by, $"Status update from {by}: {message}");
        await PersistAndSend(now);
        return CommandResult.Done;
    }

    /// <summary>
    /// The service's response targets and status-update cadence for the incident's priority, unless the incident is
    /// only recorded. A cadence that starts now (the priority was raised to one that owes updates) first reminds a
    /// full interval from now.
    /// </summary>
    private void TakePractice(Service service, DateTimeOffset now)
    {
        var practised = State.Route.Action != RouteAction.RecordOnly;
        var targets = ResponseTargets.Of(service.ResponseTargets, State.Priority);
        State.Targets = practised && targets != ResponseTarget.None ? targets : null;
        var every = practised ? StatusUpdatePolicy.EveryFor(service.StatusUpdates, State.Priority) : null;
        if (every is null) State.StatusUpdateDueAt = null;
        else if (State.StatusUpdateEvery is null || State.StatusUpdateDueAt is null) State.StatusUpdateDueAt = now + every;
        State.StatusUpdateEvery = every;
    }

    /// <summary>Nobody was paged until now (it arrived during maintenance, or was raised to a paging priority): its first response is measured from now.</summary>
    private void RestartResponseClock(DateTimeOffset now)
    {
        if (State.Cycles.Find(c => c.Cycle == State.Cycle) is { RespondedAt: null } cycle) cycle.StartedAt = now;
    }

    /// <summary>The current cycle's first answer, for its first-response target: an acknowledgement, or a resolution nobody acknowledged before.</summary>
    private void Responded(DateTimeOffset now, string by)
    {
        if (State.Cycles.Find(c => c.Cycle == State.Cycle) is not { RespondedAt: null } cycle) return;
        (cycle.RespondedAt, cycle.RespondedBy) = (now, by);
    }

    /// <summary>Tells the response targets at risk or missed, and reminds of a status update owed. True when it did.</summary>
    private async Task<bool> KeepPractice(DateTimeOffset now)
    {
        if (State.Status == IncidentStatus.Resolved) return false;
        var marks = ResponseClock.Due(State, now);
        foreach (var mark in marks)
        {
            Note(now, mark.Type, "system", mark.Text);
            State.TargetsNoted.AddRange(mark.Covers.Except(State.TargetsNoted));
        }
        if (State.StatusUpdateDueAt > now || State.StatusUpdateEvery is not { } every) return marks.Count > 0;
        await RemindOfStatusUpdate(now, every);
        return true;
    }

    /// <summary>
    /// No status update for a whole interval: told in the thread, and to whoever acknowledged (a direct message, else
    /// an email; never an SMS). One reminder however late it runs, then the next a full interval on.
    /// </summary>
    private async Task RemindOfStatusUpdate(DateTimeOffset now, TimeSpan every)
    {
        var since = State.LastStatusUpdateAt is null ? "since the incident opened" : $"for {IsoDuration.Format(every)}";
        var text = $"Status update due: none posted {since}. Post one with POST /api/v1/incidents/{IncidentId}/status-updates";
        Note(now, "status_update_due", "system", text);
        State.StatusUpdateDueAt = now + every;
        if (State.Status != IncidentStatus.Acknowledged || State.AcknowledgedBy is not { } by || await directory.FindUser(by) is not { } user) return;
        if (new[] { ChannelNames.Slack, ChannelNames.Email }.FirstOrDefault(user.Reachable) is not { } channel) return;
        State.Notifications.Add(new NotificationRecord
        {
            Id = NotificationRecord.ReminderIdFor(IncidentId, State.TimelineArchived + State.Timeline.Count),
            Kind = NotificationKind.Reminder,
            Level = State.Position.Level + 1,
            Loop = State.Position.Loop,
            Cycle = State.Cycle,
            UserId = user.Id,
            Channel = channel,
            EventText = text,
            Status = NotificationStatus.Pending,
            CreatedAt = now,
        });
    }

    private sealed record StaffedLevel(EscalationPosition At, ResolvedTargets Targets);

    /// <summary>Notes the escalation, saying who it went to (<paramref name="text"/> is given that), then pages them.</summary>
    private async Task EscalateTo(EscalationPosition next, DateTimeOffset now, string actor, Func<string, string> text)
    {
        var level = await FindStaffedLevel(next, now);
        Note(now, "escalated", actor, text(await Describe(level, next)));
        await PageLevel(level, now);
    }

    /// <summary>Pages the first level from <paramref name="position"/> that has anyone to page.</summary>
    private async Task PageFrom(EscalationPosition position, DateTimeOffset now) => await PageLevel(await FindStaffedLevel(position, now), now);

    /// <summary>
    /// The first level from <paramref name="position"/> with anyone to page, or null. A level with nobody to page is
    /// noted and passed at once, as PagerDuty does, for at most one full walk of the policy. Found before the
    /// escalation is noted, so that the note can say who it went to, and paged after, so that its Slack update comes
    /// before the new pages in the outbox (they show the escalation already).
    /// </summary>
    /// <param name="quiet">Looking again for anyone at all: levels with no one are not noted again, and the position
    /// stays as it was when there is still no one.</param>
    private async Task<StaffedLevel?> FindStaffedLevel(EscalationPosition position, DateTimeOffset now, bool quiet = false)
    {
        var before = State.Position;
        EscalationPosition? current = position;
        for (var steps = 0; current is { } at && steps < EscalationStepper.TotalPositions(State.Policy); steps++)
        {
            State.Position = at;
            var resolved = await targets.Resolve(State.Policy.Levels[at.Level].Targets, now);
            var unstaffed = resolved.Unstaffed.Count > 0 ? $" ({string.Join("; ", resolved.Unstaffed)})" : "";
            if (resolved.Users.Count > 0)
            {
                if (unstaffed.Length > 0) Note(now, "no_one_on_call", "system", $"Level {at.Level + 1}: paging the others{unstaffed}");
                return new StaffedLevel(at, resolved);
            }
            if (!quiet) Note(now, "no_one_to_page", "system", $"Level {at.Level + 1} has no one to page{unstaffed}: moving on");
            current = EscalationStepper.Next(State.Policy, at);
        }
        if (quiet) State.Position = before;
        return null;
    }

    private async Task PageLevel(StaffedLevel? level, DateTimeOffset now)
    {
        if (level is null)
        {
            State.NextEscalationAt = null;
            return;
        }
        CancelScheduledPages(now, keep: level.At);
        foreach (var user in level.Targets.Users) await AddPages(user, level.At, now);
        State.NextEscalationAt = EscalationStepper.DeadlineAfterPaging(State.Policy, level.At, now);
    }

    /// <summary>"level 2: @team-backend (aiko, ben)": where an escalation went, for the timeline and the Slack thread.</summary>
    private async Task<string> Describe(StaffedLevel? level, EscalationPosition intended)
    {
        if (level is null) return $"level {intended.Level + 1}";
        var names = new Dictionary<string, string>();
        foreach (var id in level.Targets.Users) names[id] = (await directory.FindUser(id))?.Name ?? id;
        return LevelSummary.Of(level.At.Level + 1, level.Targets.ByTarget, names);
    }

    /// <summary>Pages a person at a level as their notification rules say: some channels now, others later.</summary>
    private async Task AddPages(string userId, EscalationPosition at, DateTimeOffset now)
    {
        var user = await directory.FindUser(userId);
        foreach (var planned in NotificationPlan.For(user, State.Urgency))
        {
            AddPageRecord(userId, planned.Channel, at, now, planned.After > TimeSpan.Zero ? now + planned.After : null);
            if (planned.InsteadOf is { } off)
                Note(now, "fallback", "system", $"Paging {userId} via {planned.Channel} instead of {off}: {off} is turned off for them (STOP)");
        }
    }

    private void AddPageRecord(string userId, string channel, EscalationPosition at, DateTimeOffset now, DateTimeOffset? dueAt, int retry = 0)
    {
        var id = NotificationRecord.IdFor(IncidentId, State.Cycle, at.Level + 1, at.Loop, userId, channel, retry);
        if (State.Notifications.Exists(n => n.Id == id)) return;
        State.InSlack |= channel == ChannelNames.Slack;
        State.Notifications.Add(new NotificationRecord
        {
            Id = id,
            Level = at.Level + 1,
            Loop = at.Loop,
            Cycle = State.Cycle,
            UserId = userId,
            Channel = channel,
            Status = NotificationStatus.Pending,
            CreatedAt = now,
            DueAt = dueAt,
            Retry = retry,
        });
    }

    private void AddChannelPost(string channel, string target, DateTimeOffset now)
    {
        State.InSlack |= channel == ChannelNames.Slack;
        State.Notifications.Add(new NotificationRecord
        {
            Id = NotificationRecord.ChannelPostIdFor(IncidentId, channel),
            Kind = NotificationKind.ChannelPost,
            Level = 1,
            Loop = 0,
            Cycle = 0,
            UserId = "",
            Channel = channel,
            Target = target,
            Status = NotificationStatus.Pending,
            CreatedAt = now,
        });
    }

    /// <summary>Pages that rules scheduled for later are not sent once the incident is answered or has moved on.</summary>
    private void CancelScheduledPages(DateTimeOffset now, EscalationPosition? keep)
    {
        foreach (var page in State.Notifications.Where(n => n.IsScheduled(now)))
        {
            if (keep is { } at && page.IsAt(State.Cycle, at.Level + 1, at.Loop)) continue;
            page.Status = NotificationStatus.Cancelled;
        }
    }

    private async Task PersistAndSend(DateTimeOffset now)
    {
        await Persist(now);
        SendPending(now, onlyStale: false);
    }

    private async Task Persist(DateTimeOffset now)
    {
        if (await Write(now) != IncidentWriteOutcome.Written)
            throw new InvalidOperationException($"Incident {IncidentId} was written meanwhile by another activation.");
    }

    /// <summary>
    /// Writes the incident's row: its state, with what it holds beyond its limits moved to the archive in the same
    /// batch, and its next deadline. One write, group-committed with the silo's other incidents.
    /// </summary>
    private async Task<IncidentWriteOutcome> Write(DateTimeOffset now)
    {
        if (_halfApplied) throw new InvalidOperationException($"Incident {IncidentId} is being reloaded after a failed command.");
        var trim = IncidentTrim.Of(State, options.Value.KeepTimelineEntries, options.Value.KeepNotifications);
        if (!trim.IsEmpty) trim.ApplyTo(State);
        State.Version = _storedVersion + 1;
        var wake = NextWake(now);
        var outcome = await incidents.Write(new IncidentWrite(this.GetGrainId(), State, _storedVersion, now, wake, trim.IsEmpty ? null : trim));
        if (outcome != IncidentWriteOutcome.Written) return outcome;
        (_storedVersion, _storedDeadline, _unsavedDeliveries) = (State.Version, wake, false);
        return outcome;
    }

    private void SendPending(DateTimeOffset now, bool onlyStale)
    {
        var pages = new List<INotificationMessage>();
        foreach (var page in State.Notifications)
        {
            // While a window holds the incident no page leaves, not even again: it goes once the hold ends.
            if (State.Held is not null && page.Kind == NotificationKind.Page) continue;
            if (!page.IsDue(now) || !_handover.TakeForSending(page.Id, now, onlyStale)) continue;
            pages.Add(new PageRequest(page.Id, IncidentId, State.ServiceId, State.Title, State.Severity.ToString().ToLowerInvariant(),
                page.Level, page.Loop, page.UserId, page.Channel, page.Kind, page.Target, page.EventText));
        }
        if (pages.Count > 0)
        {
            logger.LogDebug("Incident {IncidentId} hands {Count} page(s) to the bus", IncidentId, pages.Count);
            dispatcher.Dispatch(pages);
        }
    }

    /// <summary>
    /// When the incident must next act: its next deadline, the next page scheduled for later, or, while pages are out,
    /// when they are handed over again unless reported (no page leaves while a window holds the incident).
    /// </summary>
    private DateTimeOffset? NextWake(DateTimeOffset now)
    {
        var handedOver = HasHandedOver(now);
        var nextScheduled = State.Notifications.Where(n => n.IsScheduled(now)).Min(n => n.DueAt);
        var redrive = handedOver && _handBackNow ? now : _handover.NextRedrive(handedOver, now);
        return new[] { State.NextDeadline, State.PracticeDeadline, nextScheduled, redrive }.Where(d => d is not null).Min();
    }

    private bool HasHandedOver(DateTimeOffset now) =>
        State.Notifications.Exists(n => n.IsDue(now) && !(State.Held is not null && n.Kind == NotificationKind.Page));

    private void ReturnToTriggered()
    {
        State.Status = IncidentStatus.Triggered;
        State.AcknowledgedAt = null;
        State.AcknowledgedBy = null;
        State.RetriggerAt = null;
    }

    private static readonly HashSet<string> ToldInSlack =
        ["acknowledged", "resolved", "escalated", "retriggered", "priority", "maintenance", "status_update", "status_update_due", "target_warning", "target_missed"];

    private void Note(DateTimeOffset at, string type, string actor, string message)
    {
        State.Timeline.Add(new TimelineEntry(at, type, actor, message));
        if (!ToldInSlack.Contains(type)) return;
        AddSlackUpdate(at, message);
        AddDiscordUpdate(at);
    }

    /// <summary>Once the incident is posted in Discord, its post there is rewritten in place at each of the same turns.</summary>
    private void AddDiscordUpdate(DateTimeOffset now)
    {
        if (ChannelPostOn(ChannelNames.Discord) is not { } post) return;
        AddChannelUpdate("discord-update", NotificationKind.DiscordUpdate, ChannelNames.Discord, post.Target, text: null, now);
    }

    /// <summary>Once the incident is in Slack, each of its turns is told there: messages rewritten, the event in the thread.</summary>
    private void AddSlackUpdate(DateTimeOffset now, string text)
    {
        var inSlack = State.InSlack || State.Notifications.Exists(n => n.Channel == ChannelNames.Slack && n.Kind is not (NotificationKind.SlackUpdate or NotificationKind.Reminder));
        if (!inSlack) return;
        AddChannelUpdate("slack-update", NotificationKind.SlackUpdate, ChannelNames.Slack, ChannelPostOn(ChannelNames.Slack)?.Target, text, now);
    }

    /// <summary>An update of the incident's messages in a channel, for the turn just noted.</summary>
    private void AddChannelUpdate(string idKind, NotificationKind kind, string channel, string? target, string? text, DateTimeOffset now)
    {
        State.Notifications.Add(new NotificationRecord
        {
            // Numbered by the entry's place in the whole timeline, archived entries included: unique for good.
            Id = $"{IncidentId}/{idKind}/{State.TimelineArchived + State.Timeline.Count}",
            Kind = kind,
            Level = State.Position.Level + 1,
            Loop = State.Position.Loop,
            Cycle = State.Cycle,
            UserId = "",
            Channel = channel,
            Target = target,
            EventText = text,
            Status = NotificationStatus.Pending,
            CreatedAt = now,
        });
    }

    private static string TimelineType(NotificationStatus status) => status switch
    {
        NotificationStatus.Sent => "notified",
        NotificationStatus.Cancelled => "notification_cancelled",
        _ => "notification_failed",
    };

    private static string DeliveryText(NotificationRecord n)
    {
        var what = n.Kind switch
        {
            NotificationKind.ChannelPost when n.Channel == ChannelNames.Discord => $"Posted in Discord channel {n.Target}",
            NotificationKind.ChannelPost => $"Posted in Slack channel {n.Target}",
            NotificationKind.SlackUpdate => "Slack update",
            NotificationKind.DiscordUpdate => $"Discord post update in {n.Target}",
            NotificationKind.Reminder => $"Status update reminder to {n.UserId} via {n.Channel}",
            _ => $"Paged {n.UserId} via {n.Channel}",
        };
        var via = n.DeliveredVia is { } v && v != n.Channel ? $" (written to the {v} channel: {n.Channel} is not configured)" : "";
        return n.Status switch
        {
            NotificationStatus.Sent => what + via,
            NotificationStatus.Cancelled => $"{what}: not sent, the incident no longer needed it",
            _ => $"{(n.Kind == NotificationKind.Page ? $"Page to {n.UserId} via {n.Channel}" : what)} failed: {n.Error}",
        };
    }

    private static string WithNote(string text, string? note) => string.IsNullOrWhiteSpace(note) ? text : $"{text}: {note}";

}
