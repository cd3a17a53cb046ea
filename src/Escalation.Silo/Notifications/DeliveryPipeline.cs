using Escalation.Storage.Deliveries;
using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Logging;
using Escalation.Maintenance;
using Escalation.Notifications;
using Escalation.Rotations;
using Escalation.Silo.Channels;
using Escalation.Silo.Channels.Log;
using Escalation.Storage;
using Escalation.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Notifications;

/// <summary>
/// Claim, send, settle, report: what every channel does with a notification. Transient failures are retried here,
/// with backoff and the provider's Retry-After, and every attempt is recorded. When a notification fails for good it
/// is settled as failed, reported to its grain (which falls back or escalates), and then thrown to the error queue.
/// While the database is away, a notification claimed here is kept, and its ledger writes tried again, for as long as
/// this silo lives: a page the provider has must be settled, never sent again.
/// </summary>
public sealed class DeliveryPipeline(
    DeliveryLedger ledger,
    Claimants claimants,
    IEscalationDirectory directory,
    IGrainFactory grains,
    LogChannel log,
    ProviderHealth providers,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    EscalationMetrics metrics,
    ILogger<DeliveryPipeline> logger)
{
    private DeliveryOptions Options => options.Value;

    /// <param name="retrying">The bus is trying this message again after an exception of ours.</param>
    public async Task DeliverPage(PageRequest page, INotificationChannel channel, bool retrying, CancellationToken ct)
    {
        var incidentGrain = grains.GetGrain<IIncidentGrain>(page.IncidentId);
        var incident = await incidentGrain.Get();
        if (incident is null) return;
        var user = page.Kind is NotificationKind.Page or NotificationKind.Reminder ? await directory.FindUser(page.UserId) : null;
        var address = page.Kind switch
        {
            NotificationKind.ChannelPost => page.Target,
            NotificationKind.SlackUpdate => page.Target ?? "direct messages",
            NotificationKind.DiscordUpdate => page.Target,
            _ => user?.AddressFor(page.Channel),
        };
        var service = await directory.FindService(page.ServiceId);

        var sent = await Deliver(DeliveryClaim.For(page, address), channel, retrying, ct, KindName(page.Kind),
            missing: $"{page.UserId} has no {page.Channel} address",
            // A person is not woken for an incident that was answered while their page waited in a queue.
            answered: IsAnswered(page, incident.Status),
            answeredSince: async () => IsAnswered(page, (await incidentGrain.Get())?.Status),
            // Read again at each attempt, after the claim: a message that goes out late (a retry, a takeover) shows
            // the incident as it is then, and a Slack update that finds no claim for a message can count on that.
            send: async (sender, c) => await sender.SendPage(new PageDelivery(page, await incidentGrain.Get() ?? incident, service, user, address ?? ""), c),
            report: incidentGrain.ReportDelivery);
        if (sent?.SentAt is { } at && page.Kind == NotificationKind.Page && incident.Notifications.Find(n => n.Id == page.NotificationId) is { } record)
            metrics.PageLatency(page.Channel, at - (record.DueAt ?? record.CreatedAt));
    }

    public async Task DeliverAnnouncement(AnnouncementRequest announcement, INotificationChannel channel, bool retrying, CancellationToken ct)
    {
        var user = announcement.UserId is { } id ? await directory.FindUser(id) : null;
        var address = announcement.UserId is null ? announcement.SlackChannel : user?.AddressFor(announcement.Channel);

        await Deliver(DeliveryClaim.For(announcement, address), channel, retrying, ct, "announcement",
            missing: $"no {announcement.Channel} address",
            answered: false,
            answeredSince: () => Task.FromResult(false),
            send: (sender, c) => sender.SendAnnouncement(new AnnouncementDelivery(announcement, user, address ?? ""), c),
            report: announcement.Owner switch
            {
                AnnouncementOwner.Rotation => grains.GetGrain<IRotationGrain>(RotationKeys.For(announcement.OwnerId)).ReportDelivery,
                AnnouncementOwner.MaintenanceWindow => grains.GetGrain<IMaintenanceWindowGrain>(MaintenanceKeys.For(announcement.OwnerId)).ReportDelivery,
                _ => grains.GetGrain<Releases.IReleaseWatchGrain>(announcement.OwnerId).ReportDelivery,
            });
    }

    /// <summary>
    /// Runs one notification through its channel (or the log, while the channel has no credentials), reports the
    /// outcome to the grain it came from, and throws a notification that failed to the error queue: one this consumer
    /// settled as failed, or found failed while the bus retries it (its report failed before the throw). A copy that
    /// merely finds it failed (a re-drive) is not dead-lettered a second time. Answers the notification as this
    /// consumer settled it, or null.
    /// </summary>
    private async Task<Delivery?> Deliver(DeliveryClaim claim, INotificationChannel channel, bool retrying, CancellationToken ct, string kind, string missing,
        bool answered, Func<Task<bool>> answeredSince, Func<INotificationChannel, CancellationToken, Task<DeliveryOutcome>> send,
        Func<DeliveryReport, Task> report)
    {
        var sender = channel.Configured ? channel : log;
        var noAddress = claim.Address is null && claim.Channel != ChannelNames.Log ? missing : null;
        if (await Run(claim, sender, ct, noAddress, answered, answeredSince, c => send(sender, c)) is not { } outcome) return null;
        var (settled, here) = outcome;
        if (here) metrics.Notification(claim.Channel, kind, DeliveryStatuses.Name(settled.Status));
        await report(settled.Report(clock.GetUtcNow()));
        if (settled.Status == DeliveryStatus.Failed && (here || retrying))
            throw new DeliveryFailedException(claim.NotificationId, settled.Error ?? "");
        return here ? settled : null;
    }

    /// <summary>A notification kind as a metric label: page, channel_post, slack_update, ...</summary>
    private static string KindName(NotificationKind kind) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    /// <summary>
    /// A person is not woken for an incident that was answered while their page waited in a queue or for its slot, nor
    /// reminded of a status update once it is resolved.
    /// </summary>
    private static bool IsAnswered(PageRequest page, IncidentStatus? status) => page.Kind switch
    {
        NotificationKind.Page => status != IncidentStatus.Triggered,
        NotificationKind.Reminder => status is null or IncidentStatus.Resolved,
        _ => false,
    };

    /// <summary>
    /// Null when another consumer holds the notification, or took it over from this one: its outbox hands it over
    /// again if that one dies, and only the holder of the current claim may send, count or settle. The claim begins
    /// the first attempt and the settle records the last, so a page that goes out at once costs two writes, each shared
    /// with the other pages of its channel claimed or settled at the same time (<see cref="GroupCommit{TItem,TResult}"/>).
    /// </summary>
    private async Task<Settled?> Run(DeliveryClaim claim, INotificationChannel sender, CancellationToken ct, string? noAddress,
        bool answered, Func<Task<bool>> answeredSince, Func<CancellationToken, Task<DeliveryOutcome>> send)
    {
        // The same token each time: a claim written just as the database went away is then found to be this one's,
        // rather than left behind as a live silo's, which nobody would take over.
        var token = Guid.NewGuid();
        switch (await WhileDatabaseAway(claim.NotificationId, () => ledger.Claim(claim, claimants.Here(), token, clock.GetUtcNow(), Options.AttemptLease), ct))
        {
            case Claim.Taken taken:
                try
                {
                    return await Send(claim, taken, sender, ct, noAddress, answered, answeredSince, send) is { } delivery ? new Settled(delivery, Here: true) : null;
                }
                catch (Exception) when (!ct.IsCancellationRequested)
                {
                    await Release(claim.NotificationId, taken.Token);
                    throw;
                }
            case Claim.Settled s:
                return new Settled(s.Delivery, Here: false);
            default:
                logger.LogDebug("Notification {NotificationId} is being sent by another consumer", claim.NotificationId);
                return null;
        }
    }

    /// <summary>A notification as the ledger has it, and whether this consumer settled it (rather than found it settled).</summary>
    private sealed record Settled(Delivery Delivery, bool Here);

    /// <summary>Attempts under a claim, until the notification is settled or the claim is lost.</summary>
    private async Task<Delivery?> Send(DeliveryClaim claim, Claim.Taken taken, INotificationChannel sender, CancellationToken ct, string? noAddress,
        bool answered, Func<Task<bool>> answeredSince, Func<CancellationToken, Task<DeliveryOutcome>> send)
    {
        var id = claim.NotificationId;
        var via = sender.Name != claim.Channel ? sender.Name : null;
        var (token, attempt) = (taken.Token, taken.Attempt);
        var begun = true; // the claim began attempt `attempt`
        while (true)
        {
            var started = clock.GetUtcNow();
            if (answered)
            {
                if (begun) await WhileDatabaseAway(id, () => ledger.TakeBackAttempt(id, token), ct);
                return await Settle(id, claim.Channel, token, DeliveryStatus.Cancelled, null, null, null, null, ct);
            }
            if (noAddress is not null && via is null) return await Fail(id, claim.Channel, token, noAddress, new AttemptRecord(attempt, started, "permanent"), ct);

            var outcome = await TrySend(send, ct);
            var finished = clock.GetUtcNow();
            switch (outcome)
            {
                case DeliveryOutcome.Delivered d:
                    providers.Delivered(sender.Name);
                    metrics.Attempt(sender.Name, "delivered");
                    // Settled before anything else: once the provider has it, nothing may lead to a second send.
                    var sent = await Settle(id, claim.Channel, token, DeliveryStatus.Sent, null, d.ProviderMessageId, via, new AttemptRecord(attempt, started, "delivered"), ct);
                    logger.LogInformation("notification.delivered notification={NotificationId} channel={Channel} via={Via} attempt={Attempt}",
                        id, claim.Channel, via ?? claim.Channel, attempt);
                    return sent;

                case DeliveryOutcome.Permanent p:
                    Failed(sender.Name, "permanent", p.Error);
                    return await Fail(id, claim.Channel, token, p.Error, new AttemptRecord(attempt, started, "permanent"), ct);

                case DeliveryOutcome.Deferred deferred:
                    await WhileDatabaseAway(id, () => ledger.TakeBackAttempt(id, token), ct);
                    if (!await WhileDatabaseAway(id, () => ledger.ExtendLease(id, token, finished, deferred.Wait + Options.AttemptLease), ct)) return Lost(id);
                    await Task.Delay(deferred.Wait, clock, ct);
                    break;

                case DeliveryOutcome.Transient t when attempt >= Options.MaxAttempts:
                    Failed(sender.Name, "transient", t.Refused ? ProviderErrorCode.Refused : t.Error);
                    if (t.Refused) Refused(sender.Name, t.Error);
                    return await Fail(id, claim.Channel, token, $"gave up after {attempt} attempts: {t.Error}", new AttemptRecord(attempt, started, "transient"), ct);

                case DeliveryOutcome.Transient t:
                    Failed(sender.Name, "transient", t.Refused ? ProviderErrorCode.Refused : t.Error);
                    if (t.Refused) Refused(sender.Name, t.Error);
                    await RecordAttempt(id, attempt, started, finished, "transient", t.Error, null);
                    var wait = Options.DelayAfter(attempt, t.RetryAfter);
                    logger.LogWarning("Attempt {Attempt} of notification {NotificationId} failed ({Error}); trying again in {Wait}", attempt, LogText.Escape(id), LogText.Escape(t.Error), wait);
                    if (!await WhileDatabaseAway(id, () => ledger.ExtendLease(id, token, finished, wait + Options.AttemptLease), ct)) return Lost(id);
                    await Task.Delay(wait, clock, ct);
                    break;
            }

            // The next attempt begins, unless the incident was answered meanwhile.
            begun = false;
            answered = await WhileDatabaseAway(id, answeredSince, ct);
            if (answered) continue;
            if (await WhileDatabaseAway(id, () => ledger.BeginAttempt(id, token, clock.GetUtcNow(), Options.AttemptLease), ct) is not { } next) return Lost(id);
            (attempt, begun) = (next, true);
        }
    }

    /// <summary>An attempt the provider did not accept, counted with its error's code (never its text).</summary>
    private void Failed(string channel, string outcome, string error)
    {
        metrics.Attempt(channel, outcome);
        metrics.ProviderError(channel, ProviderErrorCode.Of(error));
    }

    /// <summary>The provider refuses the service itself: an operator must act, so it is an error, and shown as Degraded.</summary>
    private void Refused(string channel, string error)
    {
        providers.Refused(channel, error);
        logger.LogError("provider.refused channel={Channel}: {Error}. Check the channel's credentials; pages are retried meanwhile", channel, LogText.Escape(error));
    }

    private Delivery? Lost(string id)
    {
        logger.LogWarning("Notification {NotificationId} was taken over by another consumer: leaving it to that one", id);
        return null;
    }

    private async Task<Delivery?> Fail(string id, string channel, Guid token, string error, AttemptRecord attempt, CancellationToken ct)
    {
        logger.LogWarning("notification.failed notification={NotificationId}: {Error}", LogText.Escape(id), LogText.Escape(error));
        return await Settle(id, channel, token, DeliveryStatus.Failed, error, null, null, attempt, ct);
    }

    /// <summary>Settles the claim, however long the database is away: a settle given up on would let the page go out again.</summary>
    private async Task<Delivery?> Settle(string id, string channel, Guid token, DeliveryStatus status, string? error, string? providerMessageId, string? via,
        AttemptRecord? attempt, CancellationToken ct) =>
        await WhileDatabaseAway(id, () => ledger.Settle(id, channel, token, status, clock.GetUtcNow(), error, providerMessageId, via, attempt), ct) ?? Lost(id);

    /// <summary>
    /// Runs a ledger call (or a question to a grain) under a claim, trying again while the database is away, until it
    /// answers or this silo stops: the claim stays this silo's meanwhile (<see cref="DeliveryLedger"/>). The waits are
    /// real time, whatever the clock: it is the database's own recovery they wait for.
    /// </summary>
    private async Task<T> WhileDatabaseAway<T>(string id, Func<Task<T>> call, CancellationToken ct)
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                var result = await call();
                if (tries > 1) logger.LogInformation("The database is back: notification {NotificationId} carries on after {Tries} tries", id, tries);
                return result;
            }
            catch (Exception e) when (DatabaseOutage.Explains(e) && !ct.IsCancellationRequested)
            {
                if (tries == 1) logger.LogWarning("The database is away ({Error}): notification {NotificationId} is kept here until it is back", e.GetBaseException().Message, id);
                await Task.Delay(OutageBackoff(tries), ct);
            }
        }
    }

    private Task WhileDatabaseAway(string id, Func<Task> call, CancellationToken ct) =>
        WhileDatabaseAway(id, async () => { await call(); return true; }, ct);

    /// <summary>0.2, 0.4, 0.8 ... seconds, then every 5 seconds.</summary>
    private static TimeSpan OutageBackoff(int tries) => TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, Math.Min(tries, 16))));

    /// <summary>
    /// Gives up a claim this consumer cannot carry on with (an error that is not the database's), so that it is taken
    /// over once its lease runs out rather than kept for as long as this silo lives.
    /// </summary>
    private async Task Release(string id, Guid token)
    {
        try
        {
            await ledger.Release(id, token);
        }
        catch (Exception e) when (DatabaseOutage.IsDatabaseError(e))
        {
            logger.LogWarning(e, "Could not release the claim on notification {NotificationId}", id);
        }
    }

    /// <summary>The attempt log is for people reading it: losing a row of it must not fail the delivery.</summary>
    private async Task RecordAttempt(string id, int attempt, DateTimeOffset started, DateTimeOffset finished, string outcome, string? error, string? providerMessageId)
    {
        try
        {
            await ledger.RecordAttempt(id, attempt, started, finished, outcome, error, providerMessageId);
        }
        catch (Exception e) when (DatabaseOutage.IsDatabaseError(e))
        {
            logger.LogWarning(e, "Could not record attempt {Attempt} of notification {NotificationId}", attempt, id);
        }
    }

    /// <summary>A channel reports provider failures as outcomes; anything it throws is treated as transient too.</summary>
    private async Task<DeliveryOutcome> TrySend(Func<CancellationToken, Task<DeliveryOutcome>> send, CancellationToken ct)
    {
        // An attempt must end well inside its lease, or a second consumer could take the claim over while it still runs.
        using var attemptTimeout = new CancellationTokenSource(Options.AttemptLease * 0.8, clock);
        using var _ = ct.Register(attemptTimeout.Cancel);
        try
        {
            return await send(attemptTimeout.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new DeliveryOutcome.Transient(e.GetType().Name + ": " + e.Message);
        }
    }
}
