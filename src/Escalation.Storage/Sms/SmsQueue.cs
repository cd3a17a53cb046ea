using Escalation.Storage.Database;
using Escalation.Storage.Deliveries;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Escalation.Storage.Sms;

/// <summary>A phone number, leased to one sender until it records what it sent.</summary>
public sealed record SmsSenderLease(string Phone, Guid Token);

/// <summary>What a sender found when it took its turn at a number.</summary>
public abstract record SmsTurn
{
    /// <summary>Another sender holds the number.</summary>
    public sealed record Busy : SmsTurn;

    /// <summary>The page went out in another page's bundle, under <paramref name="ProviderMessageId"/>.</summary>
    public sealed record SentAlready(string? ProviderMessageId) : SmsTurn;

    /// <summary>The number's slot opens at <paramref name="At"/>; the lease was given back.</summary>
    public sealed record SlotClosed(DateTimeOffset At) : SmsTurn;

    /// <summary>The lease is held: send these pages (this one first) and record them with <see cref="SmsQueue.Record"/>.</summary>
    public sealed record Send(IReadOnlyList<(string NotificationId, SmsPage Page)> Pages) : SmsTurn;
}

/// <summary>
/// Owns <c>sms_queue</c> (the pages waiting for a number), <c>sms_senders</c> (the per-number lease) and
/// <c>sms_throttle</c> (when each number was last texted). The bundling rule itself is the Twilio channel's.
/// </summary>
public sealed class SmsQueue([FromKeyedServices(DeliveryDatabase.Key)] NpgsqlDataSource db)
{
    /// <summary>A lease a live silo holds past its time is still waited for this long: it may be recording its bundle
    /// through a database outage. Past it, the holder is taken to be stuck.</summary>
    private static readonly TimeSpan LiveHolderGrace = TimeSpan.FromMinutes(10);

    public async Task Enqueue(string notificationId, string phone, SmsPage page, DateTimeOffset at)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO sms_queue (notification_id, phone, code, incident_id, title, severity, service_name, queued_at, link)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (notification_id) DO NOTHING
            """);
        foreach (var value in new object[] { notificationId, phone, page.Code, page.IncidentId, page.Title, page.Severity, page.ServiceName, at, (object?)page.Link ?? DBNull.Value })
            cmd.Parameters.AddWithValue(value);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// In one short transaction: takes the number for <paramref name="lease"/> (free, or its lease ran out and its
    /// holder is dead or stuck), then finds the page sent already, the slot closed (giving the number back), or the
    /// pages to send: this one first, then up to <paramref name="most"/> in all.
    /// </summary>
    public async Task<SmsTurn> TakeTurn(string notificationId, SmsSenderLease lease, Claimant here, DateTimeOffset now,
        TimeSpan leaseFor, TimeSpan slot, int most)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        if (!await Take(connection, lease, here, now, leaseFor)) return new SmsTurn.Busy();
        SmsTurn turn = await SentAlready(connection, notificationId) is { } sent
            ? sent
            : await LastSentAt(connection, lease.Phone) is { } last && last + slot > now
                ? new SmsTurn.SlotClosed(last + slot)
                : new SmsTurn.Send(await Waiting(connection, lease.Phone, notificationId, most));
        if (turn is not SmsTurn.Send) await Release(connection, lease);
        await tx.CommitAsync();
        return turn;
    }

    /// <summary>
    /// Records the bundle the provider accepted, if any (<paramref name="providerMessageId"/> null for none sent), and
    /// gives the number back, in one transaction.
    /// </summary>
    public async Task Record(SmsSenderLease lease, IReadOnlyList<string>? sent, DateTimeOffset at, string? providerMessageId)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        if (sent is not null) await MarkSent(connection, lease.Phone, sent, at, providerMessageId);
        await Release(connection, lease);
        await tx.CommitAsync();
    }

    private static async Task<bool> Take(NpgsqlConnection connection, SmsSenderLease lease, Claimant here, DateTimeOffset now, TimeSpan leaseFor)
    {
        await using var take = new NpgsqlCommand("""
            INSERT INTO sms_senders (phone, token, until, silo) VALUES ($1, $2, $3, $4)
            ON CONFLICT (phone) DO UPDATE SET token = EXCLUDED.token, until = EXCLUDED.until, silo = EXCLUDED.silo
            WHERE sms_senders.until < $5 AND (sms_senders.silo IS NULL OR NOT sms_senders.silo = ANY($6) OR sms_senders.until < $7)
            RETURNING token
            """, connection);
        take.Parameters.AddWithValue(lease.Phone);
        take.Parameters.AddWithValue(lease.Token);
        take.Parameters.AddWithValue(now + leaseFor);
        take.Parameters.AddWithValue(here.Silo);
        take.Parameters.AddWithValue(now);
        take.Parameters.AddWithValue(here.LiveSilos.ToArray());
        take.Parameters.AddWithValue(now - LiveHolderGrace);
        return await take.ExecuteScalarAsync() is Guid;
    }

    private static async Task Release(NpgsqlConnection connection, SmsSenderLease lease)
    {
        await using var release = new NpgsqlCommand("DELETE FROM sms_senders WHERE phone = $1 AND token = $2", connection);
        release.Parameters.AddWithValue(lease.Phone);
        release.Parameters.AddWithValue(lease.Token);
        await release.ExecuteNonQueryAsync();
    }

    private static async Task<SmsTurn.SentAlready?> SentAlready(NpgsqlConnection connection, string notificationId)
    {
        await using var mine = new NpgsqlCommand("SELECT provider_message_id FROM sms_queue WHERE notification_id = $1 AND sent_at IS NOT NULL", connection);
        mine.Parameters.AddWithValue(notificationId);
        await using var row = await mine.ExecuteReaderAsync();
        return await row.ReadAsync() ? new SmsTurn.SentAlready(row.IsDBNull(0) ? null : row.GetString(0)) : null;
    }

    private static async Task<DateTimeOffset?> LastSentAt(NpgsqlConnection connection, string phone)
    {
        await using var throttle = new NpgsqlCommand("SELECT last_sent_at FROM sms_throttle WHERE phone = $1", connection);
        throttle.Parameters.AddWithValue(phone);
        return await throttle.ExecuteScalarAsync() is DateTime last ? new DateTimeOffset(last, TimeSpan.Zero) : null;
    }

    private static async Task MarkSent(NpgsqlConnection connection, string phone, IReadOnlyList<string> notificationIds, DateTimeOffset at, string? providerMessageId)
    {
        await using var mark = new NpgsqlCommand("UPDATE sms_queue SET sent_at = $2, provider_message_id = $3 WHERE notification_id = ANY($1)", connection);
        mark.Parameters.AddWithValue(notificationIds.ToArray());
        mark.Parameters.AddWithValue(at);
        mark.Parameters.AddWithValue((object?)providerMessageId ?? DBNull.Value);
        await mark.ExecuteNonQueryAsync();
        await using var slot = new NpgsqlCommand("""
            INSERT INTO sms_throttle (phone, last_sent_at) VALUES ($1, $2) ON CONFLICT (phone) DO UPDATE SET last_sent_at = EXCLUDED.last_sent_at
            """, connection);
        slot.Parameters.AddWithValue(phone);
        slot.Parameters.AddWithValue(at);
        await slot.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// This page first, then the others waiting for the number whose incidents still need someone and whose
    /// notifications are still being sent (not one already given up on and fallen back to another channel).
    /// </summary>
    private static async Task<IReadOnlyList<(string NotificationId, SmsPage Page)>> Waiting(NpgsqlConnection connection, string phone, string notificationId, int most)
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
        cmd.Parameters.AddWithValue(most);
        await using var r = await cmd.ExecuteReaderAsync();
        var pages = new List<(string, SmsPage)>();
        while (await r.ReadAsync())
            pages.Add((r.GetString(0), new SmsPage(r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6))));
        return pages;
    }
}
