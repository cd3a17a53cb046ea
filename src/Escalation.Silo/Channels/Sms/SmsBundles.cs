using Escalation.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Escalation.Silo.Channels.Sms;

/// <summary>
/// Alert storms: a phone number gets at most one page SMS per slot (<see cref="TwilioOptions.PagesPerNumberEvery"/>, a minute). Each page is queued for its number;
/// whichever page's consumer finds the slot open sends every page still waiting for that number in one SMS (each
/// with its own code), and the others, when their turn comes, find themselves sent. A per-number advisory lock,
/// held across the provider call, keeps two consumers from sending the same pages.
/// </summary>
public sealed class SmsBundles(NpgsqlDataSource db, IOptions<TwilioOptions> options, TimeProvider clock, ILogger<SmsBundles> logger)
{
    /// <summary>The most pages one SMS carries; the rest wait for the next slot (a bundle must fit Twilio's 1600 characters).</summary>
    public const int MostPerMessage = 20;

    private static readonly TimeSpan LockBusyWait = TimeSpan.FromSeconds(2);

    /// <summary>Spreads the wake-ups of a number's waiting pages, which would otherwise all come at the same instant.</summary>
    private static TimeSpan Jitter() => TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1000));

    public async Task Queue(string notificationId, string phone, SmsPage page)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO sms_queue (notification_id, phone, code, incident_id, title, severity, service_name, queued_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (notification_id) DO NOTHING
            """);
        foreach (var value in new object[] { notificationId, phone, page.Code, page.IncidentId, page.Title, page.Severity, page.ServiceName, clock.GetUtcNow() })
            cmd.Parameters.AddWithValue(value);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Sends this page, with every other page waiting for the number, if the number's slot is open; says how long to
    /// wait if it is not; or says it was sent already in someone else's bundle.
    /// </summary>
    public async Task<DeliveryOutcome> SendWhenDue(string notificationId, string phone, Func<IReadOnlyList<SmsPage>, Task<DeliveryOutcome>> send)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        // Never wait for the lock holding a connection: in a storm every waiting page of a number wakes at once, and
        // the holder keeps the lock across its Twilio call. The others look again shortly, and most find themselves sent.
        await using (var lockPhone = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(hashtext('sms-bundle:' || $1))", connection))
        {
            lockPhone.Parameters.AddWithValue(phone);
            if (await lockPhone.ExecuteScalarAsync() is not true) return new DeliveryOutcome.Deferred(LockBusyWait + Jitter());
        }

        await using (var mine = new NpgsqlCommand("SELECT provider_message_id FROM sms_queue WHERE notification_id = $1 AND sent_at IS NOT NULL", connection))
        {
            mine.Parameters.AddWithValue(notificationId);
            if (await mine.ExecuteScalarAsync() is { } sent) return new DeliveryOutcome.Delivered(sent as string);
        }

        var now = clock.GetUtcNow();
        await using (var throttle = new NpgsqlCommand("SELECT last_sent_at FROM sms_throttle WHERE phone = $1", connection))
        {
            throttle.Parameters.AddWithValue(phone);
            if (await throttle.ExecuteScalarAsync() is DateTime last && new DateTimeOffset(last, TimeSpan.Zero) + options.Value.PagesPerNumberEvery is var opens && opens > now)
                return new DeliveryOutcome.Deferred(opens - now + Jitter());
        }

        var waiting = await Waiting(connection, phone, notificationId);
        var outcome = await send(waiting.Select(w => w.Page).OrderBy(p => p.Code).ToList());
        if (outcome is not DeliveryOutcome.Delivered delivered)
        {
            await tx.CommitAsync();
            return outcome;
        }

        // Twilio has the SMS now: a bookkeeping hiccup must not make this, or another consumer, send it again.
        var bundle = new SentBundle(phone, waiting.Select(w => w.NotificationId).ToArray(), now, delivered.ProviderMessageId);
        if (!await TryMarkSent(connection, tx, bundle)) await MarkSentAgain(bundle);
        return outcome;
    }

    /// <summary>Records the bundle while still holding the number's lock, trying again from a savepoint after an error.</summary>
    private async Task<bool> TryMarkSent(NpgsqlConnection connection, NpgsqlTransaction tx, SentBundle bundle)
    {
        for (var tries = 1; tries <= 3; tries++)
        {
            try
            {
                await tx.SaveAsync("mark");
                await MarkSent(connection, bundle);
                await tx.CommitAsync();
                return true;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Could not record an SMS bundle Twilio accepted (try {Try})", tries);
                try
                {
                    await tx.RollbackAsync("mark");
                }
                catch (Exception lost) when (lost is NpgsqlException or InvalidOperationException or TimeoutException)
                {
                    return false; // the connection is gone, and its lock with it
                }
            }
        }
        return false;
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
    /// On a connection of its own, when the one that sent the bundle broke; while the database is away, for as long as
    /// this silo lives (in real time: it waits for the database, not the clock).
    /// </summary>
    private async Task MarkSentAgain(SentBundle bundle)
    {
        for (var tries = 1; ; tries++)
        {
            // At once the first time: the lock went with the broken connection, and another page may be about to send.
            if (tries > 1) await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 200 * tries)));
            try
            {
                await using var connection = await db.OpenConnectionAsync();
                await using var tx = await connection.BeginTransactionAsync();
                await MarkSent(connection, bundle);
                await tx.CommitAsync();
                return;
            }
            catch (Exception e) when ((e is NpgsqlException or TimeoutException) && (tries < 5 || DatabaseOutage.Explains(e)))
            {
                logger.LogWarning(e, "Could not record the SMS bundle (try {Try})", tries);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogError(e, "An SMS bundle that Twilio accepted is not recorded as sent: its other pages may be sent again");
                return;
            }
        }
    }

    /// <summary>
    /// This page first, then the others waiting for the number whose incidents still need someone and whose
    /// notifications are still being sent (not one already given up on and fallen back to another channel).
    /// </summary>
    private static async Task<List<(string NotificationId, SmsPage Page)>> Waiting(NpgsqlConnection connection, string phone, string notificationId)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT q.notification_id, q.code, q.incident_id, q.title, q.severity, q.service_name
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
            pages.Add((r.GetString(0), new SmsPage(r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5))));
        return pages;
    }
}
