using Escalation.Notifications;
using Escalation.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Escalation.Silo.Notifications;

/// <summary>
/// The record of what each channel has sent, keyed by notification id. Bus messages are at-least-once: a channel
/// claims the id here before it calls its provider, and settles it afterwards, so a redelivered message does not
/// send twice. A claim is a lease held by a silo: while it is live a second copy of the message stands back; once it
/// has run out and its silo is dead (it died mid-send) the next copy takes over and carries on counting attempts. A
/// live silo's claim is never taken over: while the database is away it can neither renew its lease nor settle, and
/// it does both once the database is back.
/// </summary>
public sealed class DeliveryLedger([FromKeyedServices(DeliveryDatabase.Key)] NpgsqlDataSource db) : ISentMessages
{
    /// <summary>
    /// Claims the notification for <paramref name="by"/> and begins its first attempt (here) or next one (after a
    /// takeover), in one write. Claiming again with the same <paramref name="token"/> (the database went away before it
    /// answered) finds the claim made, if it was.
    /// </summary>
    public async Task<Claim> Claim(DeliveryClaim claim, Claimant by, Guid token, DateTimeOffset now, TimeSpan lease)
    {
        await using var take = db.CreateCommand("""
            INSERT INTO notification_deliveries
                (notification_id, incident_id, rotation_id, user_id, channel, address, status, attempts, claimed_at, lease_until, updated_at, claim_token, claimed_by)
            VALUES ($1, $2, $3, $4, $5, $6, 'sending', 1, $7, $8, $7, $9, $10)
            ON CONFLICT (notification_id) DO UPDATE SET lease_until = EXCLUDED.lease_until, address = EXCLUDED.address,
                updated_at = EXCLUDED.updated_at, claim_token = EXCLUDED.claim_token, claimed_by = EXCLUDED.claimed_by,
                attempts = notification_deliveries.attempts + CASE WHEN notification_deliveries.claim_token = EXCLUDED.claim_token THEN 0 ELSE 1 END
                WHERE notification_deliveries.status = 'sending'
                  AND (notification_deliveries.claim_token = EXCLUDED.claim_token
                       OR ((notification_deliveries.lease_until IS NULL OR notification_deliveries.lease_until < $7)
                           AND (notification_deliveries.claimed_by IS NULL OR NOT notification_deliveries.claimed_by = ANY($11))))
            RETURNING attempts
            """);
        take.Parameters.AddWithValue(claim.NotificationId);
        take.Parameters.AddWithValue((object?)claim.IncidentId ?? DBNull.Value);
        take.Parameters.AddWithValue((object?)claim.RotationId ?? DBNull.Value);
        take.Parameters.AddWithValue(claim.Recipient);
        take.Parameters.AddWithValue(claim.Channel);
        take.Parameters.AddWithValue((object?)claim.Address ?? DBNull.Value);
        take.Parameters.AddWithValue(now);
        take.Parameters.AddWithValue(now + lease);
        take.Parameters.AddWithValue(token);
        take.Parameters.AddWithValue(by.Silo);
        take.Parameters.AddWithValue(by.LiveSilos.ToArray());
        if (await take.ExecuteScalarAsync() is int attempts) return new Claim.Taken(attempts, token);

        var settled = await Find(claim.NotificationId);
        return settled is null || settled.Status == DeliveryStatus.Sending ? new Claim.HeldElsewhere() : new Claim.Settled(settled);
    }

    /// <summary>
    /// Counts one more attempt and extends the lease to cover it; returns the attempt's number, or null when the
    /// claim is no longer this holder's (its lease ran out and another consumer took it over).
    /// </summary>
    public async Task<int?> BeginAttempt(string notificationId, Guid token, DateTimeOffset now, TimeSpan lease)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE notification_deliveries SET attempts = attempts + 1, lease_until = $2, updated_at = $3
            WHERE notification_id = $1 AND claim_token = $4 AND status = 'sending' RETURNING attempts
            """);
        cmd.Parameters.AddWithValue(notificationId);
        cmd.Parameters.AddWithValue(now + lease);
        cmd.Parameters.AddWithValue(now);
        cmd.Parameters.AddWithValue(token);
        return await cmd.ExecuteScalarAsync() as int?;
    }

    /// <summary>
    /// Gives up a claim without settling it (its holder failed): it is then taken over once its lease runs out, even
    /// while the silo that held it lives.
    /// </summary>
    public async Task Release(string notificationId, Guid token)
    {
        await using var cmd = db.CreateCommand(
            "UPDATE notification_deliveries SET claimed_by = NULL WHERE notification_id = $1 AND claim_token = $2 AND status = 'sending'");
        cmd.Parameters.AddWithValue(notificationId);
        cmd.Parameters.AddWithValue(token);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Takes back an attempt that turned out not to be one (the channel deferred it).</summary>
    public async Task TakeBackAttempt(string notificationId, Guid token)
    {
        await using var cmd = db.CreateCommand(
            "UPDATE notification_deliveries SET attempts = attempts - 1 WHERE notification_id = $1 AND claim_token = $2 AND attempts > 0");
        cmd.Parameters.AddWithValue(notificationId);
        cmd.Parameters.AddWithValue(token);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>False when the claim is no longer this holder's.</summary>
    public async Task<bool> ExtendLease(string notificationId, Guid token, DateTimeOffset now, TimeSpan lease)
    {
        await using var cmd = db.CreateCommand(
            "UPDATE notification_deliveries SET lease_until = $2 WHERE notification_id = $1 AND claim_token = $3 AND status = 'sending'");
        cmd.Parameters.AddWithValue(notificationId);
        cmd.Parameters.AddWithValue(now + lease);
        cmd.Parameters.AddWithValue(token);
        return await cmd.ExecuteNonQueryAsync() == 1;
    }

    public async Task RecordAttempt(string notificationId, int attempt, DateTimeOffset startedAt, DateTimeOffset finishedAt,
        string outcome, string? error, string? providerMessageId)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO notification_attempts (notification_id, attempt, started_at, finished_at, outcome, error, provider_message_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING
            """);
        cmd.Parameters.AddWithValue(notificationId);
        cmd.Parameters.AddWithValue(attempt);
        cmd.Parameters.AddWithValue(startedAt);
        cmd.Parameters.AddWithValue(finishedAt);
        cmd.Parameters.AddWithValue(outcome);
        cmd.Parameters.AddWithValue((object?)error ?? DBNull.Value);
        cmd.Parameters.AddWithValue((object?)providerMessageId ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Settles a claimed notification and records the attempt that settled it, in one write; null when the claim is no
    /// longer this holder's. Only a claim still sending is settled: the first outcome stands.
    /// </summary>
    public async Task<Delivery?> Settle(string notificationId, Guid token, DeliveryStatus status, DateTimeOffset at, string? error,
        string? providerMessageId, string? deliveredVia, AttemptRecord? attempt)
    {
        await using var cmd = db.CreateCommand($"""
            WITH settled AS (
                UPDATE notification_deliveries
                SET status = CASE WHEN $2 = 'sent' AND provider_status IN ('failed', 'undelivered') THEN 'failed' ELSE $2 END,
                    sent_at = CASE WHEN $2 = 'sent' THEN $3 ELSE sent_at END, error = COALESCE($4, error),
                    provider_message_id = COALESCE($5, provider_message_id), delivered_via = $6, lease_until = NULL, updated_at = $3,
                    failed_for_good = ($2 = 'failed' AND $10 IS NOT DISTINCT FROM 'permanent')
                WHERE notification_id = $1 AND status = 'sending' AND claim_token = $7
                RETURNING {Columns}
            ), recorded AS (
                INSERT INTO notification_attempts (notification_id, attempt, started_at, finished_at, outcome, error, provider_message_id)
                SELECT notification_id, $8, $9, $3, $10, $4, $5 FROM settled WHERE $8::int IS NOT NULL
                ON CONFLICT DO NOTHING
            )
            SELECT * FROM settled
            """);
        cmd.Parameters.AddWithValue(notificationId);
        cmd.Parameters.AddWithValue(DeliveryStatuses.Name(status));
        cmd.Parameters.AddWithValue(at);
        cmd.Parameters.AddWithValue((object?)error ?? DBNull.Value);
        cmd.Parameters.AddWithValue((object?)providerMessageId ?? DBNull.Value);
        cmd.Parameters.AddWithValue((object?)deliveredVia ?? DBNull.Value);
        cmd.Parameters.AddWithValue(token);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)attempt?.Number ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)attempt?.StartedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)attempt?.Outcome ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var r = await cmd.ExecuteReaderAsync();
        return await r.ReadAsync() ? Read(r) : null;
    }

    /// <summary>
    /// A provider's later word on a message it accepted (a Twilio status callback). One SMS may carry several pages
    /// (a bundle): each of them is told. Returns those that turned from sent to failed. A callback can beat the settle
    /// of the send it is about: the row of <paramref name="senderId"/> (named in the callback URL) then keeps the
    /// word, and the settle turns into a failure.
    /// </summary>
    public async Task<IReadOnlyList<Delivery>> RecordProviderStatus(string providerMessageId, string? senderId, string providerStatus,
        string? failure, DateTimeOffset at)
    {
        if (senderId is not null)
        {
            await using var early = db.CreateCommand("""
                UPDATE notification_deliveries SET provider_status = $2, error = COALESCE($3, error), updated_at = $4
                WHERE notification_id = $1 AND status = 'sending'
                """);
            early.Parameters.AddWithValue(senderId);
            early.Parameters.AddWithValue(providerStatus);
            early.Parameters.AddWithValue((object?)failure ?? DBNull.Value);
            early.Parameters.AddWithValue(at);
            await early.ExecuteNonQueryAsync();
        }
        await using var cmd = db.CreateCommand("""
            UPDATE notification_deliveries d
            SET provider_status = $2, updated_at = $4,
                status = CASE WHEN $3::text IS NOT NULL AND d.status = 'sent' THEN 'failed' ELSE d.status END,
                error = CASE WHEN $3::text IS NOT NULL AND d.status = 'sent' THEN $3 ELSE d.error END
            FROM notification_deliveries before
            WHERE d.provider_message_id = $1 AND before.notification_id = d.notification_id
            RETURNING d.notification_id, before.status = 'sent' AND d.status = 'failed'
            """);
        cmd.Parameters.AddWithValue(providerMessageId);
        cmd.Parameters.AddWithValue(providerStatus);
        cmd.Parameters.AddWithValue((object?)failure ?? DBNull.Value);
        cmd.Parameters.AddWithValue(at);
        var failedNow = new List<string>();
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
                if (r.GetBoolean(1)) failedNow.Add(r.GetString(0));
        }
        var deliveries = new List<Delivery>();
        foreach (var id in failedNow)
            if (await Find(id) is { } delivery) deliveries.Add(delivery);
        return deliveries;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ChannelMessage>> Messages(string incidentId, string channel)
    {
        await using var cmd = db.CreateCommand("""
            SELECT notification_id, status, provider_message_id, delivered_via FROM notification_deliveries
            WHERE incident_id = $1 AND channel = $2
            ORDER BY claimed_at
            """);
        cmd.Parameters.AddWithValue(incidentId);
        cmd.Parameters.AddWithValue(channel);
        await using var r = await cmd.ExecuteReaderAsync();
        var messages = new List<ChannelMessage>();
        while (await r.ReadAsync())
            messages.Add(new ChannelMessage(r.GetString(0), DeliveryStatuses.Parse(r.GetString(1)), r.IsDBNull(2) ? null : r.GetString(2),
                r.IsDBNull(3) ? null : r.GetString(3)));
        return messages;
    }

    private const string Columns = "notification_id, incident_id, rotation_id, status, attempts, sent_at, error, provider_message_id, delivered_via, updated_at, failed_for_good";

    public async Task<Delivery?> Find(string notificationId)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM notification_deliveries WHERE notification_id = $1");
        cmd.Parameters.AddWithValue(notificationId);
        await using var r = await cmd.ExecuteReaderAsync();
        return await r.ReadAsync() ? Read(r) : null;
    }

    private static Delivery Read(NpgsqlDataReader r) =>
        new(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
            DeliveryStatuses.Parse(r.GetString(3)), r.GetInt32(4),
            r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5), r.IsDBNull(6) ? null : r.GetString(6),
            r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8),
            r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9), r.GetBoolean(10));
}
