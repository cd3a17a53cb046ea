using Escalation.Configuration;
using Escalation.Deadlines;
using Escalation.Escalations;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Rotations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Releases;

/// <summary>
/// Watches one production release: at T+25 and T+45 minutes (its row's deadline) it asks whoever released, or else
/// the service's on-call, and the service's channel to check the dashboards. Each reminder is written to the outbox
/// before it is handed to the bus, and handed over again until a channel reports on it.
/// </summary>
public sealed class ReleaseWatchGrain(
    [PersistentState("release", GrainStates.Store)] IPersistentState<ReleaseWatchState> store,
    IEscalationDirectory directory,
    TargetResolver targets,
    IReleaseLookup releases,
    INotificationDispatcher dispatcher,
    TimeProvider clock,
    IOptions<IncidentOptions> options,
    ILogger<ReleaseWatchGrain> logger) : Grain, IReleaseWatchGrain, IDeadlineOwner
{
    public const string Kind = "release_check";
    private readonly OutboxHandover _handover = new(options.Value.RedriveAfter);
    private ReleaseWatchState State => store.State;

    public Task Start(ReleaseWatch watch) => this.Guarded(async () =>
    {
        if (State.Watch is not null) return;
        State.Watch = watch;
        // A release told late (a back-dated change, a delayed event) gets only the checks still ahead.
        var now = clock.GetUtcNow();
        State.ChecksDone.AddRange(ReleaseWatch.Checks.Where(c => watch.At + c < now - ReleaseWatch.LateBy).Select(c => (int)c.TotalMinutes));
        logger.LogInformation("release.watch release={ReleaseId} service={ServiceId}", watch.ReleaseId, watch.ServiceId);
        await Check();
    });

    public Task<NextDeadline> DeadlineDue() => this.Guarded(async () =>
    {
        if (State.Watch is not null) await Check();
        return await store.Answer(State.NextDeadline);
    });

    public Task ReportDelivery(DeliveryReport report) => this.Guarded(async () =>
    {
        if (State.Announcements.Find(a => a.Id == report.NotificationId) is not { } announcement || !announcement.Settle(report)) return;
        _handover.Settled(announcement.Id);
        await store.WriteWith(NextWake(clock.GetUtcNow()));
    });

    public Task<IReadOnlyList<Announcement>> Announcements() => Task.FromResult<IReadOnlyList<Announcement>>([.. State.Announcements]);

    private async Task Check()
    {
        var now = clock.GetUtcNow();
        var watch = State.Watch!;
        var changed = false;
        foreach (var after in ReleaseWatch.Checks.Where(c => watch.At + c <= now && !State.ChecksDone.Contains((int)c.TotalMinutes)))
        {
            await Remind(watch, after, now);
            State.ChecksDone.Add((int)after.TotalMinutes);
            changed = true;
        }
        if (changed || State.NextDeadline != NextWake(now)) await store.WriteWith(NextWake(now));
        SendPending(now, onlyStale: !changed);
    }

    /// <summary>One check: to whoever released (a user), else to the service's on-call at level 1; and to the service's channel.</summary>
    private async Task Remind(ReleaseWatch watch, TimeSpan after, DateTimeOffset now)
    {
        var service = await directory.FindService(watch.ServiceId);
        if (service is null) return;
        var text = watch.Text(after, service.Name, service.Dashboards ?? [], await releases.IncidentsSince(watch.ServiceId, watch.At));
        var people = new List<User>();
        // Whoever released, if they are a user we can reach without waking them by SMS; else the on-call.
        if (watch.ReleasedBy is { } by && await directory.FindUser(by) is { } releaser && (releaser.Reachable(ChannelNames.Slack) || releaser.Reachable(ChannelNames.Email)))
            people.Add(releaser);
        else if (await directory.FindPolicy(service.EscalationPolicyId) is { Levels.Count: > 0 } policy)
            foreach (var id in (await targets.Resolve(policy.Levels[0].Targets, now)).Users)
                if (await directory.FindUser(id) is { } onCall) people.Add(onCall);
        var key = $"t{after.TotalMinutes:0}";
        foreach (var person in people)
        {
            if (new[] { ChannelNames.Slack, ChannelNames.Email }.FirstOrDefault(person.Reachable) is not { } channel) continue;
            Add(new Announcement { Id = IdFor(watch, key, $"user:{person.Id}", channel), Kind = Kind, UserId = person.Id, Channel = channel, Text = text, CreatedAt = now });
        }
        if (service.SlackChannel is { } slack)
            Add(new Announcement { Id = IdFor(watch, key, $"slack:{slack}", ChannelNames.Slack), Kind = Kind, SlackChannel = slack, Channel = ChannelNames.Slack, Text = text, CreatedAt = now });
        logger.LogInformation("release.check release={ReleaseId} after={Minutes}m recipients={Count}", watch.ReleaseId, after.TotalMinutes, people.Count + (service.SlackChannel is null ? 0 : 1));
    }

    private void Add(Announcement announcement)
    {
        if (!State.Announcements.Exists(a => a.Id == announcement.Id)) State.Announcements.Add(announcement);
    }

    private static string IdFor(ReleaseWatch watch, string check, string recipient, string channel) => $"release:{watch.ReleaseId}/{check}/{recipient}/{channel}";

    private void SendPending(DateTimeOffset now, bool onlyStale)
    {
        var messages = State.Announcements
            .Where(a => a.Status == NotificationStatus.Pending && _handover.TakeForSending(a.Id, now, onlyStale))
            .Select(a => (INotificationMessage)new AnnouncementRequest(a.Id, State.Watch!.ReleaseId, a.Kind, a.UserId, a.SlackChannel, a.Channel, a.Text,
                AnnouncementOwner.ReleaseWatch))
            .ToList();
        if (messages.Count > 0) dispatcher.Dispatch(messages);
    }

    /// <summary>The next check, or sooner when a reminder is due to be handed over again; none once all are told and settled.</summary>
    private DateTimeOffset? NextWake(DateTimeOffset now)
    {
        var watch = State.Watch!;
        var next = ReleaseWatch.Checks.Where(c => !State.ChecksDone.Contains((int)c.TotalMinutes)).Select(c => (DateTimeOffset?)(watch.At + c)).Min();
        var pending = State.Announcements.Exists(a => a.Status == NotificationStatus.Pending);
        return new[] { next, _handover.NextRedrive(pending, now) }.Where(d => d is not null).Min();
    }
}
