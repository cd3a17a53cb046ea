using Npgsql;
using NpgsqlTypes;

namespace Escalation.Storage.Deliveries;

/// <summary>One caller's claim, waiting for its batch.</summary>
public sealed record ClaimRequest(DeliveryClaim Claim, Claimant By, Guid Token, DateTimeOffset Now, TimeSpan Lease);

/// <summary>
/// Claims a batch of notifications in one transaction, each answered exactly as if the claims had been made one
/// after the other in the batch's order. The rows the batch names are locked first (in id order, so that two
/// batches cannot deadlock), each claim is decided against its row as the claims before it in the batch left it, and
/// the rows are then written once each: one INSERT for the new, one UPDATE for those taken over or claimed again.
/// A row that another silo inserted after the lock (it could not be locked, as it did not exist yet) makes its
/// claims be decided again, against that row.
/// </summary>
internal static class ClaimBatch
{
    public static async Task<IReadOnlyList<Claim>> Commit(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<ClaimRequest> requests)
    {
        var answers = new Claim[requests.Count];
        var undecided = requests.Select(r => r.Claim.NotificationId).ToHashSet();
        while (undecided.Count > 0)
        {
            var rows = await Lock(connection, tx, undecided);
            var written = new Dictionary<string, LedgerRow>();
            for (var i = 0; i < requests.Count; i++)
            {
                var request = requests[i];
                var id = request.Claim.NotificationId;
                if (!undecided.Contains(id)) continue;
                rows.TryGetValue(id, out var row);
                answers[i] = Decide(request, ref row);
                if (row is not null) rows[id] = row;
                if (answers[i] is Claim.Taken) written[id] = row!;
            }
            var inserted = await Insert(connection, tx, written.Values.Where(r => r.IsNew).ToList());
            await Update(connection, tx, written.Values.Where(r => !r.IsNew).ToList());
            // A new row that lost its insert to another silo's: its claims are decided again, against that row.
            undecided = written.Values.Where(r => r.IsNew && !inserted.Contains(r.NotificationId)).Select(r => r.NotificationId).ToHashSet();
        }
        return answers;
    }

    /// <summary>The claim's answer, as <see cref="DeliveryLedger.Claim"/> promises it; <paramref name="row"/> is what it leaves.</summary>
    private static Claim Decide(ClaimRequest request, ref LedgerRow? row)
    {
        var (claim, by, token, now, lease) = request;
        if (row is null)
        {
            row = new LedgerRow(claim.NotificationId, IsNew: true) { Claim = claim, Status = DeliveryStatus.Sending, Attempts = 1, ClaimedAt = now };
        }
        else if (row.Status != DeliveryStatus.Sending)
        {
            return new Claim.Settled(row.Delivery!);
        }
        else if (row.Token == token)
        {
            // The same claim again (its first answer was lost): the same attempt.
        }
        else if ((row.LeaseUntil is null || row.LeaseUntil < now) && (row.ClaimedBy is null || !by.LiveSilos.Contains(row.ClaimedBy)))
        {
            row.Attempts++;
        }
        else
        {
            return new Claim.HeldElsewhere();
        }
        row.Address = claim.Address;
        row.LeaseUntil = now + lease;
        row.UpdatedAt = now;
        row.Token = token;
        row.ClaimedBy = by.Silo;
        return new Claim.Taken(row.Attempts, token);
    }

    private static async Task<Dictionary<string, LedgerRow>> Lock(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyCollection<string> ids)
    {
        await using var cmd = new NpgsqlCommand($"""
            SELECT {DeliveryLedger.Columns}, claim_token, lease_until, claimed_by FROM notification_deliveries
            WHERE notification_id = ANY($1) ORDER BY notification_id FOR UPDATE
            """, connection, tx);
        cmd.Parameters.AddWithValue(ids.ToArray());
        var rows = new Dictionary<string, LedgerRow>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            var delivery = DeliveryLedger.Read(r);
            const int more = 11;
            rows[delivery.NotificationId] = new LedgerRow(delivery.NotificationId, IsNew: false)
            {
                Delivery = delivery, Status = delivery.Status, Attempts = delivery.Attempts,
                Token = r.IsDBNull(more) ? null : r.GetGuid(more),
                LeaseUntil = r.IsDBNull(more + 1) ? null : r.GetFieldValue<DateTimeOffset>(more + 1),
                ClaimedBy = r.IsDBNull(more + 2) ? null : r.GetString(more + 2),
            };
        }
        return rows;
    }

    /// <summary>Inserts the new rows; returns those inserted (the others were inserted meanwhile by another silo).</summary>
    private static async Task<HashSet<string>> Insert(NpgsqlConnection connection, NpgsqlTransaction tx, List<LedgerRow> rows)
    {
        if (rows.Count == 0) return [];
        rows.Sort((a, b) => string.CompareOrdinal(a.NotificationId, b.NotificationId));
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO notification_deliveries
                (notification_id, incident_id, rotation_id, user_id, channel, address, status, attempts, claimed_at, lease_until, updated_at, claim_token, claimed_by)
            SELECT id, incident_id, rotation_id, user_id, channel, address, 'sending', attempts, claimed_at, lease_until, updated_at, token, claimed_by
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::timestamptz[], $9::timestamptz[],
                        $10::timestamptz[], $11::uuid[], $12::text[])
                AS i(id, incident_id, rotation_id, user_id, channel, address, attempts, claimed_at, lease_until, updated_at, token, claimed_by)
            ORDER BY id
            ON CONFLICT (notification_id) DO NOTHING
            RETURNING notification_id
            """, connection, tx);
        Add(cmd, NpgsqlDbType.Text, rows.Select(r => r.NotificationId));
        Add(cmd, NpgsqlDbType.Text, rows.Select(r => r.Claim!.IncidentId));
        Add(cmd, NpgsqlDbType.Text, rows.Select(r => r.Claim!.RotationId));
        Add(cmd, NpgsqlDbType.Text, rows.Select(r => r.Claim!.Recipient));
        Add(cmd, NpgsqlDbType.Text, rows.Select(r => r.Claim!.Channel));
        Add(cmd, NpgsqlDbType.Text, rows.Select(r => r.Address));
        Add(cmd, NpgsqlDbType.Integer, rows.Select(r => (object)r.Attempts));
        Add(cmd, NpgsqlDbType.TimestampTz, rows.Select(r => (object?)r.ClaimedAt));
        Add(cmd, NpgsqlDbType.TimestampTz, rows.Select(r => (object?)r.LeaseUntil));
        Add(cmd, NpgsqlDbType.TimestampTz, rows.Select(r => (object?)r.UpdatedAt));
        Add(cmd, NpgsqlDbType.Uuid, rows.Select(r => (object?)r.Token));
        Add(cmd, NpgsqlDbType.Text, rows.Select(r => r.ClaimedBy));
        var inserted = new HashSet<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) inserted.Add(reader.GetString(0));
        return inserted;
    }

    private static async Task Update(NpgsqlConnection connection, NpgsqlTransaction tx, List<LedgerRow> rows)
    {
        if (rows.Count == 0) return;
        await using var cmd = new NpgsqlCommand("""
            UPDATE notification_deliveries d
            SET lease_until = i.lease_until, address = i.address, updated_at = i.updated_at, claim_token = i.token, claimed_by = i.claimed_by,
                attempts = i.attempts
            FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[], $5::timestamptz[], $6::uuid[], $7::text[])
                AS i(id, address, attempts, lease_until, updated_at, token, claimed_by)
            WHERE d.notification_id = i.id
            """, connection, tx);
        Add(cmd, NpgsqlDbType.Text, rows.Select(r => r.NotificationId));
        Add(cmd, NpgsqlDbType.Text, rows.Select(r => r.Address));
        Add(cmd, NpgsqlDbType.Integer, rows.Select(r => (object)r.Attempts));
        Add(cmd, NpgsqlDbType.TimestampTz, rows.Select(r => (object?)r.LeaseUntil));
        Add(cmd, NpgsqlDbType.TimestampTz, rows.Select(r => (object?)r.UpdatedAt));
        Add(cmd, NpgsqlDbType.Uuid, rows.Select(r => (object?)r.Token));
        Add(cmd, NpgsqlDbType.Text, rows.Select(r => r.ClaimedBy));
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>One array parameter for <c>unnest</c>; nulls stay nulls.</summary>
    internal static void Add(NpgsqlCommand cmd, NpgsqlDbType type, IEnumerable<object?> values) =>
        cmd.Parameters.Add(new NpgsqlParameter
        {
            NpgsqlDbType = NpgsqlDbType.Array | type,
            Value = values.Select(v => v ?? DBNull.Value).ToArray(),
        });

    /// <summary>A ledger row as the batch has it: as locked, or as a claim before in the batch left it.</summary>
    private sealed record LedgerRow(string NotificationId, bool IsNew)
    {
        public DeliveryClaim? Claim { get; init; }
        public Delivery? Delivery { get; init; }
        public DeliveryStatus Status { get; init; }
        public int Attempts { get; set; }
        public DateTimeOffset? ClaimedAt { get; init; }
        public string? Address { get; set; }
        public DateTimeOffset? LeaseUntil { get; set; }
        public DateTimeOffset? UpdatedAt { get; set; }
        public Guid? Token { get; set; }
        public string? ClaimedBy { get; set; }
    }
}
