using Escalation.Configuration;
using Escalation.Deadlines;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Rotations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Maintenance;

/// <summary>
/// A maintenance window. Its next start or end is its deadline, kept like every deadline here (a timer backed by a
/// reminder). At a start it writes the announcements to its outbox, persists, hands them to the bus, and then holds the
/// services' open incidents; at an end it does the same and releases them. Both calls are idempotent, and
/// <see cref="MaintenanceWindowState.IncidentsDone"/> says which was done last, so a crash between the write and the
/// calls is made good by the next check.
/// </summary>
public sealed class MaintenanceWindowGrain(
    [PersistentState("maintenance", GrainStates.Store)] IPersistentState<MaintenanceWindowState> store,
    IMaintenanceCalendar calendar,
    IEscalationDirectory directory,
    IIncidentStore incidents,
    INotificationDispatcher dispatcher,
    TimeProvider clock,
    IOptions<IncidentOptions> options,
    ILogger<MaintenanceWindowGrain> logger) : Grain, IMaintenanceWindowGrain, IDeadlineOwner
{
    /// <summary>The most open incidents one start or end acts on; the rest hold themselves at their next deadline, and release at their hold's end.</summary>
    private const int MaxIncidents = 10_000;
    private const int CallsAtOnce = 32;
    private static readonly TimeSpan KeepHistory = TimeSpan.FromDays(30);

    private readonly OutboxHandover _handover = new(options.Value.RedriveAfter);
    private MaintenanceWindow? _window;
    private DateTimeOffset? _incidentsRetryAt;

    private MaintenanceWindowState State => store.State;
    private string WindowId => MaintenanceKeys.IdOf(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _window = await calendar.Get(WindowId);
        if (_window is null && !store.RecordExists) return;
        await Check();
    }

    public Task Reschedule() => this.Guarded(async () =>
    {
        _window = await calendar.Get(WindowId);
        await CheckCore();
    });

    public Task<CommandResult> End(string by) => this.Guarded(async () =>
    {
        _window = await calendar.Get(WindowId);
        if (_window is null) return new CommandResult(CommandOutcome.NotFound, $"There is no maintenance window '{WindowId}'.");
        var now = clock.GetUtcNow();
        if (MaintenanceSchedule.At(_window, now) is not { } occurrence)
            return CommandResult.Conflict($"Maintenance window '{WindowId}' is not in effect now.");
        _window = _window with { EndedEarly = new EarlyEnd(occurrence.Start, now, by) };
        await calendar.Put(_window);
        await CheckCore();
        return CommandResult.Done;
    });

    public Task Forget() => this.Guarded(async () =>
    {
        _window = null;
        await CheckCore();
    });

    public Task ReportDelivery(DeliveryReport report) => this.Guarded(async () =>
    {
        if (State.Announcements.Find(a => a.Id == report.NotificationId) is not { } announcement || !announcement.Settle(report)) return;
        _handover.Settled(announcement.Id);
        await Persist(clock.GetUtcNow());
        await Settle(clock.GetUtcNow());
    });

    public Task<IReadOnlyList<Announcement>> Announcements() => Task.FromResult<IReadOnlyList<Announcement>>([.. State.Announcements]);

    public Task<NextDeadline> DeadlineDue() => this.Guarded(async () =>
    {
        // The window is read again: this also catches a deletion whose notice to this grain was lost.
        _window = await calendar.Get(WindowId);
        await CheckCore();
        return store.RecordExists ? new NextDeadline(State.NextDeadline, long.Parse(store.Etag ?? "0")) : new NextDeadline(null, 0);
    });

    private Task Check() => this.Guarded(CheckCore);

    /// <summary>Announces the end of the occurrence dealt with last and the start of the one in effect, once each; then acts on the incidents.</summary>
    private async Task CheckCore()
    {
        var now = clock.GetUtcNow();
        var current = _window is null ? null : MaintenanceSchedule.At(_window, now);
        var changed = false;
        if (State.Started is { } started && State.Ended != started && current?.Start != started)
        {
            await Announce(MaintenanceAnnouncements.Ended, started, now,
                (window, service) => MaintenanceAnnouncements.EndText(window, service, EndOf(started, now), _window?.EndedEarly?.OccurrenceStart == started ? _window.EndedEarly.By : null));
            State.Ended = started;
            changed = true;
            logger.LogInformation("maintenance.ended window={WindowId} occurrence={Start:O}", WindowId, started);
        }
        if (current is not null && State.Started != current.Start)
        {
            await Announce(MaintenanceAnnouncements.Started, current.Start, now,
                (window, service) => MaintenanceAnnouncements.StartText(window, service, current));
            State.Started = current.Start;
            changed = true;
            logger.LogInformation("maintenance.started window={WindowId} occurrence={Start:O} until={End:O}", WindowId, current.Start, current.End);
        }
        if (_window is not null && (changed || State.LastWindow is null)) (State.LastWindow, changed) = (_window, true);
        if (changed) await Persist(now);
        SendPending(now, onlyStale: !changed);
        await ActOnIncidents(current);
        await Settle(now);
    }

    /// <summary>When the occurrence that began at <paramref name="start"/> ended: early, on time, or (deleted) now.</summary>
    private DateTimeOffset EndOf(DateTimeOffset start, DateTimeOffset now) =>
        _window is null ? now : MaintenanceSchedule.From(_window, start).FirstOrDefault(o => o.Start == start)?.End ?? now;

    private async Task Announce(string kind, DateTimeOffset occurrenceStart, DateTimeOffset now, Func<MaintenanceWindow, Service, string> text)
    {
        if ((_window ?? State.LastWindow) is not { } window) return;
        foreach (var serviceId in window.Services)
        {
            if (await directory.FindService(serviceId) is not { SlackChannel: { } channel } service) continue;
            var id = MaintenanceAnnouncements.IdFor(WindowId, occurrenceStart, kind, channel);
            if (State.Announcements.Exists(a => a.Id == id)) continue;
            State.Announcements.Add(new Announcement
            {
                Id = id,
                Kind = kind,
                SlackChannel = channel,
                Channel = ChannelNames.Slack,
                Text = text(window, service),
                Status = NotificationStatus.Pending,
                CreatedAt = now,
            });
        }
    }

    private async Task ActOnIncidents(MaintenanceOccurrence? current)
    {
        var window = _window ?? State.LastWindow;
        var wanted = current is not null ? $"held:{current.Start.UtcTicks}" : State.Started is { } s ? $"released:{s.UtcTicks}" : null;
        if (window is null || wanted is null || wanted == State.IncidentsDone) return;
        var hold = current is null ? null : new MaintenanceHold(WindowId, current.End, window.Reason);
        IReadOnlyList<string> ids;
        try
        {
            ids = await incidents.OpenIn(window.Services, MaxIncidents);
            foreach (var batch in ids.Chunk(CallsAtOnce))
            {
                await Task.WhenAll(batch.Select(id => hold is null
                    ? GrainFactory.GetGrain<IIncidentGrain>(id).Release(WindowId)
                    : GrainFactory.GetGrain<IIncidentGrain>(id).Hold(hold)));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not done yet: the next check (the reminder's tick at the latest) does it again; each call is idempotent.
            // Meanwhile an incident asks the calendar itself before it escalates, and at its hold's end.
            logger.LogWarning(e, "maintenance.incidents window={WindowId} failed; tried again at the next check", WindowId);
            _incidentsRetryAt = clock.GetUtcNow() + options.Value.RedriveAfter;
            return;
        }
        logger.LogInformation("maintenance.incidents window={WindowId} action={Action} count={Count}", WindowId, hold is null ? "released" : "held", ids.Count);
        State.IncidentsDone = wanted;
        _incidentsRetryAt = null;
        await Persist(clock.GetUtcNow());
    }

    /// <summary>Writes the state, first dropping announcements settled long ago so that a weekly window does not grow without bound.</summary>
    private async Task Persist(DateTimeOffset now)
    {
        State.Announcements.RemoveAll(a => a.Status != NotificationStatus.Pending && a.CreatedAt < now - KeepHistory);
        await store.WriteWith(NextWake(now));
    }

    private void SendPending(DateTimeOffset now, bool onlyStale)
    {
        var messages = State.Announcements
            .Where(a => a.Status == NotificationStatus.Pending && _handover.TakeForSending(a.Id, now, onlyStale))
            .Select(a => (INotificationMessage)new AnnouncementRequest(a.Id, WindowId, a.Kind, null, a.SlackChannel, a.Channel, a.Text, AnnouncementOwner.MaintenanceWindow))
            .ToList();
        if (messages.Count > 0) dispatcher.Dispatch(messages);
    }

    /// <summary>The next start or end, or sooner when an announcement is due to be handed over again or the incidents tried again.</summary>
    private DateTimeOffset? NextWake(DateTimeOffset now)
    {
        var pending = State.Announcements.Exists(a => a.Status == NotificationStatus.Pending);
        var next = _window is null ? null : MaintenanceSchedule.NextBoundary(_window, now);
        return new[] { next, _handover.NextRedrive(pending, now), _incidentsRetryAt }.Where(d => d is not null).Min();
    }

    /// <summary>Makes sure the row holds the next deadline; a deleted window with nothing left to do leaves no row.</summary>
    private async Task Settle(DateTimeOffset now)
    {
        var due = NextWake(now);
        if (due is null && _window is null)
        {
            if (store.RecordExists) await store.ClearStateAsync();
            return;
        }
        if (!store.RecordExists || State.NextDeadline != due) await store.WriteWith(due);
    }
}
