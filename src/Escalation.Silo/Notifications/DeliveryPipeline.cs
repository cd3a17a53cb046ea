using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Rotations;
using Escalation.Silo.Channels;
using Escalation.Silo.Channels.Log;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Notifications;

/// <summary>
/// Claim, send, settle, report: what every channel does with a notification. Transient failures are retried here,
/// with backoff and the provider's Retry-After, and every attempt is recorded. When a notification fails for good it
/// is settled as failed, reported to its grain (which falls back or escalates), and then thrown to the error queue.
/// </summary>
public sealed class DeliveryPipeline(
    DeliveryLedger ledger,
    IEscalationDirectory directory,
    IGrainFactory grains,
    LogChannel log,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<DeliveryPipeline> logger)
{
    private DeliveryOptions Options => options.Value;

    public async Task DeliverPage(PageRequest page, INotificationChannel channel, CancellationToken ct)
    {
        var incidentGrain = grains.GetGrain<IIncidentGrain>(page.IncidentId);
        var incident = await incidentGrain.Get();
        if (incident is null) return;
        var user = page.Kind == NotificationKind.Page ? await directory.FindUser(page.UserId) : null;
        var address = page.Kind switch
        {
            NotificationKind.ChannelPost => page.Target,
            NotificationKind.SlackUpdate => page.Target ?? "direct messages",
            _ => user?.AddressFor(page.Channel),
        };
        var service = await directory.FindService(page.ServiceId);
        var sender = channel.Configured ? channel : log;

        var settled = await Run(DeliveryClaim.For(page, address), sender, ct,
            noAddress: address is null && page.Channel != ChannelNames.Log ? $"{page.UserId} has no {page.Channel} address" : null,
            // A person is not woken for an incident that was answered while their page waited in a queue.
            cancelled: () => IsAnswered(page, incidentGrain),
            send: c => sender.SendPage(new PageDelivery(page, incident, service, user, address ?? ""), c));
        if (settled is null) return;
        await incidentGrain.ReportDelivery(settled.Delivery.Report(clock.GetUtcNow()));
        if (settled.FailedNow) throw new DeliveryFailedException(page.NotificationId, settled.Delivery.Error ?? "");
    }

    public async Task DeliverAnnouncement(AnnouncementRequest announcement, INotificationChannel channel, CancellationToken ct)
    {
        var user = announcement.UserId is { } id ? await directory.FindUser(id) : null;
        var address = announcement.UserId is null ? announcement.SlackChannel : user?.AddressFor(announcement.Channel);
        var sender = channel.Configured ? channel : log;

        var settled = await Run(DeliveryClaim.For(announcement, address), sender, ct,
            noAddress: address is null && announcement.Channel != ChannelNames.Log ? $"no {announcement.Channel} address" : null,
            cancelled: () => Task.FromResult(false),
            send: c => sender.SendAnnouncement(new AnnouncementDelivery(announcement, user, address ?? ""), c));
        if (settled is null) return;
        await grains.GetGrain<IRotationGrain>(announcement.RotationId).ReportDelivery(settled.Delivery.Report(clock.GetUtcNow()));
        if (settled.FailedNow) throw new DeliveryFailedException(announcement.NotificationId, settled.Delivery.Error ?? "");
    }

    /// <summary>A person is not woken for an incident that was answered while their page waited in a queue or for its slot.</summary>
    private static async Task<bool> IsAnswered(PageRequest page, IIncidentGrain incident) =>
        page.Kind == NotificationKind.Page && (await incident.Get())?.Status != IncidentStatus.Triggered;

    private sealed record Settled(Delivery Delivery, bool FailedNow);

    /// <summary>Null when another consumer holds the notification: its outbox hands it over again if that one dies.</summary>
    private async Task<Settled?> Run(DeliveryClaim claim, INotificationChannel sender, CancellationToken ct,
        string? noAddress, Func<Task<bool>> cancelled, Func<CancellationToken, Task<DeliveryOutcome>> send)
    {
        var id = claim.NotificationId;
        var via = sender.Name != claim.Channel ? sender.Name : null;
        switch (await ledger.Claim(claim, clock.GetUtcNow(), Options.AttemptLease))
        {
            case Claim.HeldElsewhere:
                logger.LogDebug("Notification {NotificationId} is being sent by another consumer", id);
                return null;
            case Claim.Settled s:
                return new Settled(s.Delivery, false);
        }

        if (noAddress is not null && via is null) return await Fail(id, noAddress);

        while (true)
        {
            if (await cancelled()) return new Settled(await ledger.Settle(id, DeliveryStatus.Cancelled, clock.GetUtcNow(), null), false);
            var started = clock.GetUtcNow();
            var attempt = await ledger.BeginAttempt(id, started, Options.AttemptLease);
            var outcome = await TrySend(send, ct);
            var finished = clock.GetUtcNow();
            switch (outcome)
            {
                case DeliveryOutcome.Delivered d:
                    await ledger.RecordAttempt(id, attempt, started, finished, "delivered", null, d.ProviderMessageId);
                    logger.LogInformation("notification.delivered notification={NotificationId} channel={Channel} via={Via} attempt={Attempt}",
                        id, claim.Channel, via ?? claim.Channel, attempt);
                    return new Settled(await ledger.Settle(id, DeliveryStatus.Sent, finished, null, d.ProviderMessageId, via), false);

                case DeliveryOutcome.Permanent p:
                    await ledger.RecordAttempt(id, attempt, started, finished, "permanent", p.Error, null);
                    return await Fail(id, p.Error);

                case DeliveryOutcome.Deferred deferred:
                    await ledger.TakeBackAttempt(id);
                    await ledger.ExtendLease(id, finished, deferred.Wait + Options.AttemptLease);
                    await Task.Delay(deferred.Wait, clock, ct);
                    break;

                case DeliveryOutcome.Transient t:
                    await ledger.RecordAttempt(id, attempt, started, finished, "transient", t.Error, null);
                    if (attempt >= Options.MaxAttempts) return await Fail(id, $"gave up after {attempt} attempts: {t.Error}");
                    var wait = Options.DelayAfter(attempt, t.RetryAfter);
                    logger.LogWarning("Attempt {Attempt} of notification {NotificationId} failed ({Error}); trying again in {Wait}", attempt, id, t.Error, wait);
                    await ledger.ExtendLease(id, finished, wait + Options.AttemptLease);
                    await Task.Delay(wait, clock, ct);
                    break;
            }
        }
    }

    private async Task<Settled> Fail(string id, string error)
    {
        logger.LogWarning("notification.failed notification={NotificationId}: {Error}", id, error);
        return new Settled(await ledger.Settle(id, DeliveryStatus.Failed, clock.GetUtcNow(), error), true);
    }

    /// <summary>A channel reports provider failures as outcomes; anything it throws is treated as transient too.</summary>
    private async Task<DeliveryOutcome> TrySend(Func<CancellationToken, Task<DeliveryOutcome>> send, CancellationToken ct)
    {
        try
        {
            return await send(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new DeliveryOutcome.Transient(e.GetType().Name + ": " + e.Message);
        }
    }
}
