using Npgsql;
using NpgsqlTypes;

namespace Escalation.Storage.Deliveries;

/// <summary>One caller's settle, waiting for its batch.</summary>
public sealed record SettleRequest(string NotificationId, Guid Token, DeliveryStatus Status, DateTimeOffset At, string? Error,
    string? ProviderMessageId, string? DeliveredVia, AttemptRecord? Attempt)
{
    /// <summary>
    /// A page delivered at its first attempt keeps that attempt on its ledger row; only a page that took more than
    /// one attempt, or failed, has its attempts in <c>notification_attempts</c>.
    /// </summary>
    public bool AttemptKeptOnRow => Attempt is { Number: 1, Outcome: "delivered" };
}

/// <summary>
/// Settles a batch of claims in one transaction: the rows are locked in id order (so that a claim batch and a settle
/// batch cannot deadlock), then one UPDATE settles those still sending under their caller's token and one INSERT
/// records the settling attempts that are not kept on the row.
/// </summary>
internal static class SettleBatch
{
    public static async Task<IReadOnlyList<Delivery?>> Commit(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<SettleRequest> requests)
    {
        await using (var locking = new NpgsqlCommand(
            "SELECT 1 FROM notification_deliveries WHERE notification_id = ANY($1) ORDER BY notification_id FOR UPDATE", connection, tx))
        {
            locking.Parameters.AddWithValue(requests.Select(r => r.NotificationId).Distinct().ToArray());
            await locking.ExecuteNonQueryAsync();
        }

        await using var cmd = new NpgsqlCommand($"""
            WITH input AS (
                SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::int[],
                                     $9::timestamptz[], $10::text[], $11::boolean[])
                    AS i(id, token, status, at, error, provider_message_id, via, attempt, attempt_started, attempt_outcome, kept_on_row)
            ), settled AS (
                UPDATE notification_deliveries d
                SET status = CASE WHEN i.status = 'sent' AND d.provider_status IN ('failed', 'undelivered') THEN 'failed' ELSE i.status END,
                    sent_at = CASE WHEN i.status = 'sent' THEN i.at ELSE d.sent_at END, error = COALESCE(i.error, d.error),
                    provider_message_id = COALESCE(i.provider_message_id, d.provider_message_id), delivered_via = i.via, lease_until = NULL,
                    updated_at = i.at, failed_for_good = (i.status = 'failed' AND i.attempt_outcome IS NOT DISTINCT FROM 'permanent'),
                    single_attempt_started_at = CASE WHEN i.kept_on_row THEN i.attempt_started END
                FROM input i
                WHERE d.notification_id = i.id AND d.status = 'sending' AND d.claim_token = i.token
                RETURNING {Prefixed("d.")}, d.claim_token
            ), recorded AS (
                INSERT INTO notification_attempts (notification_id, attempt, started_at, finished_at, outcome, error, provider_message_id)
                SELECT i.id, i.attempt, i.attempt_started, i.at, i.attempt_outcome, i.error, i.provider_message_id
                FROM settled s JOIN input i ON i.id = s.notification_id AND i.token = s.claim_token
                WHERE i.attempt IS NOT NULL AND NOT i.kept_on_row
                ON CONFLICT DO NOTHING
            )
            SELECT * FROM settled
            """, connection, tx);
        ClaimBatch.Add(cmd, NpgsqlDbType.Text, requests.Select(r => r.NotificationId));
        ClaimBatch.Add(cmd, NpgsqlDbType.Uuid, requests.Select(r => (object)r.Token));
        ClaimBatch.Add(cmd, NpgsqlDbType.Text, requests.Select(r => DeliveryStatuses.Name(r.Status)));
        ClaimBatch.Add(cmd, NpgsqlDbType.TimestampTz, requests.Select(r => (object)r.At));
        ClaimBatch.Add(cmd, NpgsqlDbType.Text, requests.Select(r => r.Error));
        ClaimBatch.Add(cmd, NpgsqlDbType.Text, requests.Select(r => r.ProviderMessageId));
        ClaimBatch.Add(cmd, NpgsqlDbType.Text, requests.Select(r => r.DeliveredVia));
        ClaimBatch.Add(cmd, NpgsqlDbType.Integer, requests.Select(r => (object?)r.Attempt?.Number));
        ClaimBatch.Add(cmd, NpgsqlDbType.TimestampTz, requests.Select(r => (object?)r.Attempt?.StartedAt));
        ClaimBatch.Add(cmd, NpgsqlDbType.Text, requests.Select(r => r.Attempt?.Outcome));
        ClaimBatch.Add(cmd, NpgsqlDbType.Boolean, requests.Select(r => (object)r.AttemptKeptOnRow));

        var settled = new Dictionary<(string, Guid), Delivery>();
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
                settled[(r.GetString(0), r.GetGuid(DeliveryLedger.ColumnCount))] = DeliveryLedger.Read(r);
        }
        return requests.Select(r => settled.GetValueOrDefault((r.NotificationId, r.Token))).ToList();
    }

    private static string Prefixed(string alias) => string.Join(", ", DeliveryLedger.Columns.Split(", ").Select(c => alias + c));
}
