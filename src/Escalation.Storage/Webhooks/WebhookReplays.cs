using Escalation.Storage.Database;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Escalation.Storage.Webhooks;

/// <summary>
/// Webhook requests already seen, in PostgreSQL so that every silo knows them: a request captured and sent again is
/// refused on whichever silo it reaches, and after a restart. Each key is kept for as long as a replay could pass
/// the provider's own checks.
/// </summary>
public sealed class WebhookReplays([FromKeyedServices(DeliveryDatabase.Key)] NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>A Slack signature is only accepted within 5 minutes of its timestamp; kept a little longer.</summary>
    public static readonly TimeSpan SlackWindow = TimeSpan.FromMinutes(10);

    /// <summary>A Twilio request carries no timestamp, so its MessageSid is kept for a month.</summary>
    public static readonly TimeSpan TwilioWindow = TimeSpan.FromDays(30);

    /// <summary>True the first time <paramref name="key"/> is seen (and remembers it); false for a replay.</summary>
    public async Task<bool> FirstSeen(string key, TimeSpan keepFor)
    {
        var now = clock.GetUtcNow();
        await using (var prune = db.CreateCommand("""
            DELETE FROM webhook_replays WHERE key IN (SELECT key FROM webhook_replays WHERE expires_at < $1 LIMIT 100)
            """))
        {
            prune.Parameters.AddWithValue(now);
            await prune.ExecuteNonQueryAsync();
        }
        await using var remember = db.CreateCommand("INSERT INTO webhook_replays (key, expires_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING");
        remember.Parameters.AddWithValue(key);
        remember.Parameters.AddWithValue(now + keepFor);
        return await remember.ExecuteNonQueryAsync() == 1;
    }
}
