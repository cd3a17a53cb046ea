using Escalation.Silo.Notifications;
using Escalation.Storage.Database;
using Escalation.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Escalation.Silo.Channels.Twilio;

/// <summary>
/// Alert storms: a phone number gets at most one page SMS per slot (<see cref="TwilioOptions.PagesPerNumberEvery"/>, a minute). Each page is queued for its number;
/// whichever page's consumer finds the slot open sends every page still waiting for that number in one SMS (each
/// with its own code), and the others, when their turn comes, find themselves sent. A per-number lease
/// (<c>sms_senders</c>), held until the bundle is recorded, keeps two consumers from sending the same pages.
/// </summary>
public sealed class SmsBundles(
    [FromKeyedServices(DeliveryDatabase.Key)] NpgsqlDataSource db,
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

    public async Task Queue(string notificationId, string phone, SmsPage page)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO sms_queue (notification_id, phone, code, incident_id, title, severity, service_name, queued_at, link)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (notification_id) DO NOTHING
            """);
        foreach (var value in new object[] { notificationId, phone, page.Code, page.IncidentId, page.Title, page.Severity, page.ServiceName, clock.GetUtcNow(), (object?)page.Link ?? DBNull.Value })
            cmd.Parameters.AddWithValue(value);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Sends this page, with every other page waiting for the number, if the number's slot is open; says how long to
    /// wait if it is not; or says it was sent already in someone else's bundle. No connection is held across the
    /// Twilio call: the number is leased to one sender in a short transaction before it, and the bundle recorded (and
    /// the lease given back) in another after it.
    /// </summary>
    public async Task<DeliveryOutcome> SendWhenDue(string notificationId, string phone, Func<IReadOnlyList<SmsPage>, Task<DeliveryOutcome>> send)
    {
        var lease = new SenderLease(phone, Guid.NewGuid());
        List<(string NotificationId, SmsPage Page)> waiting;
        var now = clock.GetUtcNow();
        await using (var connection = await db.OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            // In a storm every waiting page of a number wakes at once; the others look again shortly, and most find
            // themselves sent.
            if (!await Take(connection, lease, now)) return new DeliveryOutcome.Deferred(LockBusyWait + Jitter());
            if (await SentAlready(connection, notificationId) is { } sent)
            {
                await Release(connection, lease);
                await tx.CommitAsync();
                return sent;
            }
            if (await SlotOpensAt(connection, phone) is { } opens && opens > now)
            {
                await Release(connection, lease);
                await tx.CommitAsync();
                return new DeliveryOutcome.Deferred(opens - now + Jitter());
            }
            waiting = await Waiting(connection, phone, notificationId);
            await tx.CommitAsync();
        }

        DeliveryOutcome outcome;
        try
        {
            outcome = await send(waiting.Select(w => w.Page).OrderBy(p => p.Code).ToList());
        }
        catch
        {
            await Settle(lease, bundle: null);
            throw;
        }
        // Twilio has the SMS now: a bookkeeping hiccup must not make this, or another consumer, send it again.
        var bundle = outcome is DeliveryOutcome.Delivered delivered
            ? new SentBundle(phone, waiting.Select(w => w.NotificationId).ToArray(), now, delivered.ProviderMessageId)
            : null;
        await Settle(lease, bundle);
        return outcome;
    }

    /// <summary>The number, leased to one sender until it records what it sent: longer than a provider call may take.</summary>
    private sealed record SenderLease(string Phone, Guid Token);

    /// <summary>A lease a live silo holds past its time is still waited for this long: it may be recording its bundle
    /// through a database outage. Past it, the holder is taken to be stuck.</summary>
    private static readonly TimeSpan LiveHolderGrace = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Takes the number: free, or its lease has run out and its holder's silo is dead in the cluster's membership (or
    /// has held it for too long). A live holder may be recording a bundle through a database outage: taking the
    /// number from it would send that bundle again.
    /// </summary>
    private async Task<bool> Take(NpgsqlConnection connection, SenderLease lease, DateTimeOffset now)
    {
        var here = claimants.Here();
        await using var take = new NpgsqlCommand("""
            INSERT INTO sms_senders (phone, token, until, silo) VALUES ($1, $2, $3, $4)
            ON CONFLICT (phone) DO UPDATE SET token = EXCLUDED.token, until = EXCLUDED.until, silo = EXCLUDED.silo
            WHERE sms_senders.until < $5 AND (sms_senders.silo IS NULL OR NOT sms_senders.silo = ANY($6) OR sms_senders.until < $7)
            RETURNING token
            """, connection);
        take.Parameters.AddWithValue(lease.Phone);
        take.Parameters.AddWithValue(lease.Token);
        take.Parameters.AddWithValue(now + delivery.Value.AttemptLease);
        take.Parameters.AddWithValue(here.Silo);
        take.Parameters.AddWithValue(now);
        take.Parameters.AddWithValue(here.LiveSilos.ToArray());
        take.Parameters.AddWithValue(now - LiveHolderGrace);
        return await take.ExecuteScalarAsync() is Guid;
    }

    private static async Task Release(NpgsqlConnection connection, SenderLease lease)
    {
        await using var release = new NpgsqlCommand("DELETE FROM sms_senders WHERE phone = $1 AND token = $2", connection);
        release.Parameters.AddWithValue(lease.Phone);
        release.Parameters.AddWithValue(lease.Token);
        await release.ExecuteNonQueryAsync();
    }

    /// <summary>Delivered, when the page went out in another page's bundle.</summary>
    private static async Task<DeliveryOutcome.Delivered?> SentAlready(NpgsqlConnection connection, string notificationId)
    {
        await using var mine = new NpgsqlCommand("SELECT provider_message_id FROM sms_queue WHERE notification_id = $1 AND sent_at IS NOT NULL", connection);
        mine.Parameters.AddWithValue(notificationId);
        await using var row = await mine.ExecuteReaderAsync();
        return await row.ReadAsync() ? new DeliveryOutcome.Delivered(row.IsDBNull(0) ? null : row.GetString(0)) : null;
    }

    private async Task<DateTimeOffset?> SlotOpensAt(NpgsqlConnection connection, string phone)
    {
        await using var throttle = new NpgsqlCommand("SELECT last_sent_at FROM sms_throttle WHERE phone = $1", connection);
        throttle.Parameters.AddWithValue(phone);
        return await throttle.ExecuteScalarAsync() is DateTime last ? new DateTimeOffset(last, TimeSpan.Zero) + options.Value.PagesPerNumberEvery : null;
    }

    /// <summary>
    /// Records the bundle Twilio accepted, if any, and gives the number back, in one transaction, trying again on a
    /// fresh connection after an error, and for as long as this silo lives while the database is away (in real time:
    /// it waits for the database, not the clock): until it is recorded the lease keeps others from sending the same pages.
    /// </summary>
    private async Task Settle(SenderLease lease, SentBundle? bundle)
    {
        for (var tries = 1; ; tries++)
        {
            if (tries > 1) await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 200 * tries)));
            try
            {
                await using var connection = await db.OpenConnectionAsync();
                await using var tx = await connection.BeginTransactionAsync();
                if (bundle is not null) await MarkSent(connection, bundle);
                await Release(connection, lease);
                await tx.CommitAsync();
                return;
            }
            catch (Exception e) when ((e is NpgsqlException or TimeoutException) && (tries < 5 || DatabaseOutage.Explains(e)))
            {
                logger.LogWarning(e, "Could not record the SMS bundle or give the number back (try {Try})", tries);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                if (bundle is not null)
                    logger.LogError(e, "An SMS bundle that Twilio accepted is not recorded as sent: its other pages may be sent again once the number's lease runs out");
                return;
            }
        }
    }

    private sealed record SentBundle(string Phone, string[] NotificationIds, DateTimeOffset At, string? ProviderMessageId);

    private static async Task MarkSent(NpgsqlConnection connection, SentBundle bundle)
    {
        await using var mark = new NpgsqlCommand("UPDATE sms_queue SET sent_at = $2, provider_message_id = $3 WHERE notification_id = ANY($1)", connection);
        mark.Parameters.AddWithValue(bundle.NotificationIds);
        mark.Parameters.AddWithValue(bundle.At);
        mark.Parameters.AddWithValue((object?)bundle.ProviderMessageId ?? DBNull.Value);
        await mark.ExecuteNonQueryAsync();
        await using var slot = new NpgsqlCommand("""
            INSERT INTO sms_throttle (phone, last_sent_at) VALUES ($1, $2) ON CONFLICT (phone) DO UPDATE SET last_sent_at = EXCLUDED.last_sent_at
            """, connection);
        slot.Parameters.AddWithValue(bundle.Phone);
        slot.Parameters.AddWithValue(bundle.At);
        await slot.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// This page first, then the others waiting for the number whose incidents still need someone and whose
    /// notifications are still being sent (not one already given up on and fallen back to another channel).
    /// </summary>
    private static async Task<List<(string NotificationId, SmsPage Page)>> Waiting(NpgsqlConnection connection, string phone, string notificationId)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT q.notification_id, q.code, q.incident_id, q.title, q.severity, q.service_name, q.link
            FROM sms_queue q LEFT JOIN incidents i ON i.id = q.incident_id LEFT JOIN notification_deliveries d ON d.notification_id = q.notification_id
            WHERE q.phone = $1 AND q.sent_at IS NULL
              AND (q.notification_id = $2 OR (coalesce(i.status, 'triggered') = 'triggered' AND coalesce(d.status, 'sending') = 'sending'))
            ORDER BY q.notification_id = $2 DESC, q.queued_at
            LIMIT $3
            """, connection);
        cmd.Parameters.AddWithValue(phone);
        cmd.Parameters.AddWithValue(notificationId);
        cmd.Parameters.AddWithValue(MostPerMessage);
        await using var r = await cmd.ExecuteReaderAsync();
        var pages = new List<(string, SmsPage)>();
        while (await r.ReadAsync())
            pages.Add((r.GetString(0), new SmsPage(r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6))));
        return pages;
    }
}
