using Escalation.Storage.Database;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Escalation.Storage.Sms;

/// <summary>
/// The numbers in "1a", "2c": per phone number, the lowest free code first, and free again a while (the reuse period, an hour by default) after its
/// incident was resolved (so that a late "1c" meant for the old incident cannot act on a new one). Allocation is serialised per number with an advisory lock, so two pages to one phone never share a code.
/// </summary>
public sealed class SmsReplyCodes([FromKeyedServices(DeliveryDatabase.Key)] NpgsqlDataSource db)
{
    public async Task<int> Allocate(string phone, string incidentId, DateTimeOffset now, TimeSpan reuseAfter)
    {
        await using var connection = await db.OpenConnectionAsync();
        // A page that waited for its slot asks again: its code is there already, and no lock is needed to read it.
        if (await Scalar(connection, "SELECT code FROM sms_reply_codes WHERE phone = $1 AND incident_id = $2", phone, incidentId) is { } known)
            return known;
        await using var tx = await connection.BeginTransactionAsync();
        await Execute(connection, "SELECT pg_advisory_xact_lock(hashtext('sms-codes:' || $1))", phone);
        var code = await Scalar(connection, "SELECT code FROM sms_reply_codes WHERE phone = $1 AND incident_id = $2", phone, incidentId);
        if (code is null)
        {
            await Execute(connection, """
                DELETE FROM sms_reply_codes c WHERE c.phone = $1
                  AND EXISTS (SELECT 1 FROM incidents i WHERE i.id = c.incident_id AND i.status = 'resolved' AND i.updated_at < $2)
                """, phone, now - reuseAfter);
            code = await Scalar(connection, """
                INSERT INTO sms_reply_codes (phone, code, incident_id, created_at)
                SELECT $1, n, $2, $3 FROM generate_series(1, (SELECT count(*) + 1 FROM sms_reply_codes WHERE phone = $1)::int) AS n
                WHERE NOT EXISTS (SELECT 1 FROM sms_reply_codes WHERE phone = $1 AND code = n)
                ORDER BY n LIMIT 1
                RETURNING code
                """, phone, incidentId, now);
        }
        await tx.CommitAsync();
        return code!.Value;
    }

    /// <summary>A code acts only once an SMS carrying it has gone to the number: a page still waiting for its slot is not the responder's to answer yet.</summary>
    private const string SentToThisNumber = """
        EXISTS (SELECT 1 FROM sms_queue q WHERE q.phone = c.phone AND q.incident_id = c.incident_id AND q.sent_at IS NOT NULL)
        """;

    public async Task<string?> IncidentFor(string phone, int code)
    {
        await using var cmd = db.CreateCommand($"SELECT c.incident_id FROM sms_reply_codes c WHERE c.phone = $1 AND c.code = $2 AND {SentToThisNumber}");
        cmd.Parameters.AddWithValue(phone);
        cmd.Parameters.AddWithValue(code);
        return await cmd.ExecuteScalarAsync() as string;
    }

    /// <summary>
    /// The incidents this number was sent pages for that are triggered (or acknowledged too): what "aa" and "cc" act
    /// on. Never one whose page still waits for the number's next slot: nobody may acknowledge what they have not seen.
    /// </summary>
    public async Task<IReadOnlyList<string>> OpenIncidents(string phone, bool includeAcknowledged)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT c.incident_id FROM sms_reply_codes c JOIN incidents i ON i.id = c.incident_id
            WHERE c.phone = $1 AND (i.status = 'triggered' OR ($2 AND i.status = 'acknowledged')) AND {SentToThisNumber}
            ORDER BY c.code
            """);
        cmd.Parameters.AddWithValue(phone);
        cmd.Parameters.AddWithValue(includeAcknowledged);
        await using var r = await cmd.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await r.ReadAsync()) ids.Add(r.GetString(0));
        return ids;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, params object[] args)
    {
        await using var cmd = Command(connection, sql, args);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<int?> Scalar(NpgsqlConnection connection, string sql, params object[] args)
    {
        await using var cmd = Command(connection, sql, args);
        return await cmd.ExecuteScalarAsync() as int?;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object[] args)
    {
        var cmd = new NpgsqlCommand(sql, connection);
        foreach (var arg in args) cmd.Parameters.AddWithValue(arg);
        return cmd;
    }
}
