using Escalation.Silo.Notifications;
using Escalation.Storage;
using Escalation.Storage.Sms;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Channels.Twilio;

/// <summary>
/// Alert storms: a phone number gets at most one page SMS per slot (<see cref="TwilioOptions.PagesPerNumberEvery"/>, a minute). Each page is queued for its number;
/// whichever page's consumer finds the slot open sends every page still waiting for that number in one SMS (each
/// with its own code), and the others, when their turn comes, find themselves sent. A per-number lease
/// (<c>sms_senders</c>), held until the bundle is recorded, keeps two consumers from sending the same pages.
/// </summary>
public sealed class SmsBundles(
    SmsQueue queue,
    IOptions<TwilioOptions> options,
    IOptions<DeliveryOptions> delivery,
    Claimants claimants,
    TimeProvider clock,
    ILogger<SmsBundles> logger)
{
    /// <summary>The most pages one SMS carries; the rest wait for the next slot (a bundle must fit Twilio's 1600 characters).</summary>
    public const int MostPerMessage = 20;

    private static readonly TimeSpan LockBusyWait = TimeSpan.FromSeconds(2);

    /// <summary>Spreads the wake-ups of a number's waiting pages, which would otherwise all come at the same instant.</summary>
    private static TimeSpan Jitter() => TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1000));

    public Task Queue(string notificationId, string phone, SmsPage page) => queue.Enqueue(notificationId, phone, page, clock.GetUtcNow());

    /// <summary>
    /// Sends this page, with every other page waiting for the number, if the number's slot is open; says how long to
    /// wait if it is not; or says it was sent already in someone else's bundle. No connection is held across the
    /// Twilio call: the number is leased to one sender in a short transaction before it, and the bundle recorded (and
    /// the lease given back) in another after it.
    /// </summary>
    public async Task<DeliveryOutcome> SendWhenDue(string notificationId, string phone, Func<IReadOnlyList<SmsPage>, Task<DeliveryOutcome>> send)
    {
        var lease = new SmsSenderLease(phone, Guid.NewGuid());
        var now = clock.GetUtcNow();
        var turn = await queue.TakeTurn(notificationId, lease, claimants.Here(), now, delivery.Value.AttemptLease, options.Value.PagesPerNumberEvery, MostPerMessage);
        switch (turn)
        {
            // In a storm every waiting page of a number wakes at once; the others look again shortly, and most find
            // themselves sent.
            case SmsTurn.Busy: return new DeliveryOutcome.Deferred(LockBusyWait + Jitter());
            case SmsTurn.SentAlready sent: return new DeliveryOutcome.Delivered(sent.ProviderMessageId);
            case SmsTurn.SlotClosed closed: return new DeliveryOutcome.Deferred(closed.At - now + Jitter());
        }
        var waiting = ((SmsTurn.Send)turn).Pages;

        DeliveryOutcome outcome;
        try
        {
            outcome = await send(waiting.Select(w => w.Page).OrderBy(p => p.Code).ToList());
        }
        catch
        {
            await Record(lease, sent: null, now, providerMessageId: null);
            throw;
        }
        // Twilio has the SMS now: a bookkeeping hiccup must not make this, or another consumer, send it again.
        var delivered = outcome as DeliveryOutcome.Delivered;
        await Record(lease, delivered is null ? null : waiting.Select(w => w.NotificationId).ToArray(), now, delivered?.ProviderMessageId);
        return outcome;
    }

    /// <summary>
    /// Records the bundle Twilio accepted, if any, and gives the number back, trying again after an error, and for as
    /// long as this silo lives while the database is away (in real time: it waits for the database, not the clock):
    /// until it is recorded the lease keeps others from sending the same pages.
    /// </summary>
    private async Task Record(SmsSenderLease lease, IReadOnlyList<string>? sent, DateTimeOffset at, string? providerMessageId)
    {
        for (var tries = 1; ; tries++)
        {
            if (tries > 1) await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 200 * tries)));
            try
            {
                await queue.Record(lease, sent, at, providerMessageId);
                return;
            }
            catch (Exception e) when (DatabaseOutage.IsDatabaseError(e) && (tries < 5 || DatabaseOutage.Explains(e)))
            {
                logger.LogWarning(e, "Could not record the SMS bundle or give the number back (try {Try})", tries);
            }
            catch (Exception e) when (DatabaseOutage.IsDatabaseError(e))
            {
                if (sent is not null)
                    logger.LogError(e, "An SMS bundle that Twilio accepted is not recorded as sent: its other pages may be sent again once the number's lease runs out");
                return;
            }
        }
    }
}
