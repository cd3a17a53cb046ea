using Npgsql;

namespace Escalation.Storage.Incidents;

public sealed record AttemptView(int Attempt, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string Outcome, string? Error, string? ProviderMessageId);

/// <summary>
/// What the channels recorded of one notification: the ledger row and every call to the provider. The address is
/// as stored: the API masks it before showing it.
/// </summary>
public sealed record DeliveryView(
    string? Address,
    string? ProviderMessageId,
    string? ProviderStatus,
    string? DeliveredVia,
    DateTimeOffset ClaimedAt,
    IReadOnlyList<AttemptView> Attempts);

/// <summary>Reads the delivery ledger for the notification log of an incident.</summary>
public sealed class NotificationLog(NpgsqlDataSource db)
{
    public async Task<IReadOnlyDictionary<string, DeliveryView>> ForIncident(string incidentId)
    {
        var attempts = new Dictionary<string, List<AttemptView>>();
        await using (var cmd = db.CreateCommand("""
            SELECT a.notification_id, a.attempt, a.started_at, a.finished_at, a.outcome, a.error, a.provider_message_id
            FROM notification_attempts a JOIN notification_deliveries d ON d.notification_id = a.notification_id
            WHERE d.incident_id = $1 ORDER BY a.notification_id, a.attempt
            """))
        {
            cmd.Parameters.AddWithValue(incidentId);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                if (!attempts.TryGetValue(r.GetString(0), out var list)) attempts[r.GetString(0)] = list = [];
                list.Add(new AttemptView(r.GetInt32(1), r.GetFieldValue<DateTimeOffset>(2), r.GetFieldValue<DateTimeOffset>(3), r.GetString(4),
                    r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)));
            }
        }

        var deliveries = new Dictionary<string, DeliveryView>();
        await using (var cmd = db.CreateCommand("""
            SELECT notification_id, address, provider_message_id, provider_status, delivered_via, claimed_at,
                   single_attempt_started_at, COALESCE(sent_at, updated_at)
            FROM notification_deliveries WHERE incident_id = $1
            """))
        {
            cmd.Parameters.AddWithValue(incidentId);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                var id = r.GetString(0);
                var providerMessageId = r.IsDBNull(2) ? null : r.GetString(2);
                // A notification delivered at its first attempt keeps that attempt on its row, not in notification_attempts.
                if (!attempts.ContainsKey(id) && !r.IsDBNull(6) && !r.IsDBNull(7))
                    attempts[id] = [new AttemptView(1, r.GetFieldValue<DateTimeOffset>(6), r.GetFieldValue<DateTimeOffset>(7), "delivered", null, providerMessageId)];
                deliveries[id] = new DeliveryView(
                    r.IsDBNull(1) ? null : r.GetString(1),
                    providerMessageId, r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
                    r.GetFieldValue<DateTimeOffset>(5), attempts.GetValueOrDefault(id) ?? []);
            }
        }
        return deliveries;
    }
}
