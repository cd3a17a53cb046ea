using Escalation.Notifications;
using Npgsql;

namespace Escalation.Silo.Notifications;

public sealed record Delivery(bool FirstTime, NotificationStatus Status, int Attempts, DateTimeOffset? SentAt, string? Error);

/// <summary>
/// The record of what each channel has sent, keyed by notification id. Bus messages are at-least-once:
/// the ledger's primary key is what makes a page go out at most once.
/// </summary>
public sealed class DeliveryLedger(NpgsqlDataSource db)
{
    /// <summary>Records the page as sent unless it already was; <see cref="Delivery.FirstTime"/> says which.</summary>
    public async Task<Delivery> RecordSent(PageRequest page, DateTimeOffset at)
    {
        await using var insert = db.CreateCommand("""
            INSERT INTO notification_deliveries (notification_id, incident_id, user_id, channel, status, attempts, claimed_at, sent_at)
            VALUES ($1, $2, $3, $4, 'sent', 1, $5, $5)
            ON CONFLICT (notification_id) DO NOTHING
            """);
        insert.Parameters.AddWithValue(page.NotificationId);
        insert.Parameters.AddWithValue(page.IncidentId);
        insert.Parameters.AddWithValue(page.UserId);
        insert.Parameters.AddWithValue(page.Channel);
        insert.Parameters.AddWithValue(at);
        if (await insert.ExecuteNonQueryAsync() == 1) return new Delivery(true, NotificationStatus.Sent, 1, at, null);

        await using var select = db.CreateCommand("SELECT status, attempts, sent_at, error FROM notification_deliveries WHERE notification_id = $1");
        select.Parameters.AddWithValue(page.NotificationId);
        await using var r = await select.ExecuteReaderAsync();
        await r.ReadAsync();
        return new Delivery(false, Enum.Parse<NotificationStatus>(r.GetString(0), ignoreCase: true), r.GetInt32(1),
            r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2), r.IsDBNull(3) ? null : r.GetString(3));
    }
}
