using Npgsql;

namespace Escalation.Storage.Metrics;

/// <summary>What the whole cluster holds now, as every silo reports it on <c>/metrics</c>.</summary>
public sealed record OperationalReading(
    long Triggered,
    long Acknowledged,
    IReadOnlyDictionary<string, long> InFlightByChannel,
    DateTimeOffset? OldestInFlightClaimedAt,
    long SmsQueued,
    DateTimeOffset? OldestSmsQueuedAt);

/// <summary>
/// Reads the open incidents, the notifications claimed but not settled, and the SMS waiting for their slot, in one
/// round trip through partial indexes: it runs every few seconds on every silo.
/// </summary>
public sealed class OperationalReadings(NpgsqlDataSource db)
{
    public async Task<OperationalReading> Read(CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT status, count(*) FROM incidents WHERE status IN ('triggered', 'acknowledged') GROUP BY status"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT channel, count(*), min(claimed_at) FROM notification_deliveries WHERE status = 'sending' GROUP BY channel"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT count(*), min(queued_at) FROM sms_queue WHERE sent_at IS NULL"));
        await using var reader = await batch.ExecuteReaderAsync(ct);

        var open = new Dictionary<string, long>();
        while (await reader.ReadAsync(ct)) open[reader.GetString(0)] = reader.GetInt64(1);
        await reader.NextResultAsync(ct);
        var inFlight = new Dictionary<string, long>();
        DateTimeOffset? oldest = null;
        while (await reader.ReadAsync(ct))
        {
            inFlight[reader.GetString(0)] = reader.GetInt64(1);
            var claimed = reader.GetFieldValue<DateTimeOffset>(2);
            if (oldest is null || claimed < oldest) oldest = claimed;
        }
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        var (sms, oldestSms) = (reader.GetInt64(0), reader.IsDBNull(1) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(1));

        return new OperationalReading(open.GetValueOrDefault("triggered"), open.GetValueOrDefault("acknowledged"), inFlight, oldest, sms, oldestSms);
    }
}
