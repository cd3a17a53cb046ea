using Escalation.Storage.Writes;
using System.Collections.Concurrent;
using Escalation.Notifications;
using Escalation.Storage.Database;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Escalation.Storage.Deliveries;

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
    // One batcher per channel queue and kind of write: a channel's consumers share their transactions, and a slow or
    // failing batch of one channel (its claims, say, waiting on rows another silo holds) holds up only that channel's
    // pages, as its own queue on the bus does. Claims and settles batch apart so that neither waits behind the other.
    private readonly ConcurrentDictionary<string, GroupCommit<ClaimRequest, Claim>> _claims = new();
    private readonly ConcurrentDictionary<string, GroupCommit<SettleRequest, Delivery?>> _settles = new();

    /// <summary>How the claims were grouped, per channel: for a benchmark or a metric.</summary>
    public IReadOnlyDictionary<string, BatchCounts> ClaimBatching => _claims.ToDictionary(c => c.Key, c => BatchCounts.Of(c.Value));

    /// <summary>How the settles were grouped, per channel.</summary>
    public IReadOnlyDictionary<string, BatchCounts> SettleBatching => _settles.ToDictionary(c => c.Key, c => BatchCounts.Of(c.Value));

    /// <summary>
    /// Claims the notification for <paramref name="by"/> and begins its first attempt (here) or next one (after a
    /// takeover), in one write, shared with the other claims of its channel waiting at the same time. Claiming again
    /// with the same <paramref name="token"/> (the database went away before it answered) finds the claim made, if it
    /// was.
    /// </summary>
    public Task<Claim> Claim(DeliveryClaim claim, Claimant by, Guid token, DateTimeOffset now, TimeSpan lease) =>
        _claims.GetOrAdd(claim.Channel, _ => new GroupCommit<ClaimRequest, Claim>(batch => InTransaction(batch, ClaimBatch.Commit), MaxBatch))
            .Submit(new ClaimRequest(claim, by, token, now, lease));

    private const int MaxBatch = 256;

    /// <summary>
    /// Runs a batch in one transaction. A deadlock or serialization failure rolled all of it back, so it is run
    /// again; anything else fails every caller of the batch, with nothing of it written.
    /// </summary>
    private async Task<IReadOnlyList<TResult>> InTransaction<TItem, TResult>(IReadOnlyList<TItem> batch,
        Func<NpgsqlConnection, NpgsqlTransaction, IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> commit)
    {
        for (var tries = 1; ; tries++)
        {
            await using var connection = await db.OpenConnectionAsync();
            await using var tx = await connection.BeginTransactionAsync();
            try
            {
                var results = await commit(connection, tx, batch);
                await tx.CommitAsync();
                return results;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && tries < 3)
            {
            }
        }
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
    public Task Release(string notificationId, Guid token) => UpdateClaim(
        "UPDATE notification_deliveries SET claimed_by = NULL WHERE notification_id = $1 AND claim_token = $2 AND status = 'sending'",
        notificationId, token);

    /// <summary>Takes back an attempt that turned out not to be one (the channel deferred it).</summary>
    public Task TakeBackAttempt(string notificationId, Guid token) => UpdateClaim(
        "UPDATE notification_deliveries SET attempts = attempts - 1 WHERE notification_id = $1 AND claim_token = $2 AND attempts > 0",
        notificationId, token);

    /// <summary>Runs <paramref name="sql"/>, an UPDATE of the row held under <paramref name="token"/> ($1 the id, $2 the token).</summary>
    private async Task UpdateClaim(string sql, string notificationId, Guid token)
    {
        await using var cmd = db.CreateCommand(sql);
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
    /// Settles a claimed notification and records the attempt that settled it, in one write shared with the other
    /// settles of <paramref name="channel"/> waiting at the same time; null when the claim is no longer this holder's.
    /// Only a claim still sending is settled: the first outcome stands. A first attempt that delivered is kept on the
    /// row itself (<see cref="SettleRequest.AttemptKeptOnRow"/>), any other in <c>notification_attempts</c>.
    /// </summary>
    public Task<Delivery?> Settle(string notificationId, string channel, Guid token, DeliveryStatus status, DateTimeOffset at, string? error,
        string? providerMessageId, string? deliveredVia, AttemptRecord? attempt) =>
        _settles.GetOrAdd(channel, _ => new GroupCommit<SettleRequest, Delivery?>(batch => InTransaction(batch, SettleBatch.Commit), MaxBatch))
            .Submit(new SettleRequest(notificationId, token, status, at, error, providerMessageId, deliveredVia, attempt));

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

    internal const string Columns = "notification_id, incident_id, rotation_id, status, attempts, sent_at, error, provider_message_id, delivered_via, updated_at, failed_for_good";

    public async Task<Delivery?> Find(string notificationId)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM notification_deliveries WHERE notification_id = $1");
        cmd.Parameters.AddWithValue(notificationId);
        await using var r = await cmd.ExecuteReaderAsync();
        return await r.ReadAsync() ? Read(r) : null;
    }

    /// <summary>The number of <see cref="Columns"/>, which <see cref="Read"/> reads from the first.</summary>
    internal const int ColumnCount = 11;

    internal static Delivery Read(NpgsqlDataReader r) =>
        new(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
            DeliveryStatuses.Parse(r.GetString(3)), r.GetInt32(4),
            r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5), r.IsDBNull(6) ? null : r.GetString(6),
            r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8),
            r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9), r.GetBoolean(10));
}
