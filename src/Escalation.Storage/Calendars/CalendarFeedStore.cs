using System.Security.Cryptography;
using Escalation.Storage.Auth;
using Npgsql;

namespace Escalation.Storage.Calendars;

public sealed record CalendarFeed(string Id, string Kind, string TargetId, DateTimeOffset CreatedAt);

/// <summary>Calendar subscriptions: each feed URL carries its own secret token, kept only as a hash.</summary>
public sealed class CalendarFeedStore(NpgsqlDataSource db, TimeProvider clock)
{
    public const string RotationFeed = "rotation";
    public const string UserFeed = "user";

    public async Task<(CalendarFeed Feed, string Token)> Create(string kind, string targetId)
    {
        var token = SecretTokens.New("ecal_");
        var feed = new CalendarFeed("cal_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), kind, targetId, clock.GetUtcNow());
        await using var cmd = db.CreateCommand(
            "INSERT INTO calendar_feeds (id, kind, target_id, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)");
        cmd.Parameters.AddWithValue(feed.Id);
        cmd.Parameters.AddWithValue(kind);
        cmd.Parameters.AddWithValue(targetId);
        cmd.Parameters.AddWithValue(SecretTokens.Hash(token));
        cmd.Parameters.AddWithValue(feed.CreatedAt);
        await cmd.ExecuteNonQueryAsync();
        return (feed, token);
    }

    /// <summary>Whether <paramref name="token"/> opens the feed of this rotation or user.</summary>
    public async Task<bool> Opens(string kind, string targetId, string token)
    {
        await using var cmd = db.CreateCommand("SELECT 1 FROM calendar_feeds WHERE token_hash = $1 AND kind = $2 AND target_id = $3");
        cmd.Parameters.AddWithValue(SecretTokens.Hash(token));
        cmd.Parameters.AddWithValue(kind);
        cmd.Parameters.AddWithValue(targetId);
        return await cmd.ExecuteScalarAsync() is not null;
    }

    public async Task<IReadOnlyList<CalendarFeed>> List()
    {
        await using var cmd = db.CreateCommand("SELECT id, kind, target_id, created_at FROM calendar_feeds ORDER BY created_at");
        await using var reader = await cmd.ExecuteReaderAsync();
        var feeds = new List<CalendarFeed>();
        while (await reader.ReadAsync())
            feeds.Add(new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        return feeds;
    }

    /// <summary>Revokes every feed of a rotation or user that is being deleted, so that a later one of the same id is not exposed.</summary>
    public async Task DeleteFor(string kind, string targetId)
    {
        await using var cmd = db.CreateCommand("DELETE FROM calendar_feeds WHERE kind = $1 AND target_id = $2");
        cmd.Parameters.AddWithValue(kind);
        cmd.Parameters.AddWithValue(targetId);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<bool> Delete(string id)
    {
        await using var cmd = db.CreateCommand("DELETE FROM calendar_feeds WHERE id = $1");
        cmd.Parameters.AddWithValue(id);
        return await cmd.ExecuteNonQueryAsync() > 0;
    }
}
