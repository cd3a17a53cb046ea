using Escalation.Notifications;
using Npgsql;

namespace Escalation.Silo.Notifications;

public sealed record Delivery(bool FirstTime, NotificationStatus Status, int Attempts, DateTimeOffset? SentAt, string? Error);

/// <summary>What a channel claims in the ledger: one notification, who it is for, and what it belongs to.</summary>
public sealed record DeliveryClaim(string NotificationId, string? IncidentId, string? RotationId, string Recipient, string Channel)
{
    public static DeliveryClaim For(PageRequest page) => new(page.NotificationId, page.IncidentId, null, page.UserId, page.Channel);

    public static DeliveryClaim For(AnnouncementRequest announcement) =>
        new(announcement.NotificationId, null, announcement.RotationId,
            announcement.UserId ?? $"slack:{announcement.SlackChannel}", announcement.Channel);
}

/// <summary>
/// The record of what each channel has sent, keyed by notification id. Bus messages are at-least-once:
/// the ledger's primary key is what makes a notification go out at most once.
/// </summary>
public sealed class DeliveryLedger(NpgsqlDataSource db)
{
    /// <summary>Records the notification as sent unless it already was; <see cref="Delivery.FirstTime"/> says which.</summary>
    public async Task<Delivery> RecordSent(DeliveryClaim claim, DateTimeOffset at)
    {
        await using var insert = db.CreateCommand("""
            INSERT INTO notification_deliveries (notification_id, incident_id, rotation_id, user_id, channel, status, attempts, claimed_at, sent_at)
            VALUES ($1, $2, $3, $4, $5, 'sent', 1, $6, $6)
            ON CONFLICT (notification_id) DO NOTHING
            """);
        insert.Parameters.AddWithValue(claim.NotificationId);
        insert.Parameters.AddWithValue((object?)claim.IncidentId ?? DBNull.Value);
        insert.Parameters.AddWithValue((object?)claim.RotationId ?? DBNull.Value);
        insert.Parameters.AddWithValue(claim.Recipient);
        insert.Parameters.AddWithValue(claim.Channel);
        insert.Parameters.AddWithValue(at);
        if (await insert.ExecuteNonQueryAsync() == 1) return new Delivery(true, NotificationStatus.Sent, 1, at, null);

        await using var select = db.CreateCommand("SELECT status, attempts, sent_at, error FROM notification_deliveries WHERE notification_id = $1");
        select.Parameters.AddWithValue(claim.NotificationId);
        await using var r = await select.ExecuteReaderAsync();
        await r.ReadAsync();
        return new Delivery(false, Enum.Parse<NotificationStatus>(r.GetString(0), ignoreCase: true), r.GetInt32(1),
            r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2), r.IsDBNull(3) ? null : r.GetString(3));
    }
}
