using Escalation.Testing;
using Npgsql;

namespace Escalation.Tests.Api;

/// <summary>Handoffs happen on time whether or not anybody calls the API, across a restart of the service.</summary>
public sealed class RotationRestartTests
{
    [Fact]
    public async Task A_handoff_is_announced_by_the_restarted_service_without_any_call_to_the_rotation()
    {
        var first = await EscalationApp.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var handoff = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddSeconds(15);
        await using (first)
        {
            var admin = first.Client();
            foreach (var id in (string[])["rs1", "rs2"])
                await admin.PutJson($"/api/v1/users/{id}", new { name = id, email = $"{id}@example.com", time_zone = "UTC" }).Ok();
            // Hourly, with shift 0 beginning 15 seconds from now: rs2 has the shift before it, rs1 takes over.
            await admin.PutJson("/api/v1/rotations/restart-hourly", new
            {
                name = "Restart hourly",
                time_zone = "Europe/London",
                type = "hourly",
                shift_length = 1,
                start = handoff.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
                participants = new[] { "rs1", "rs2" },
                announce_channel = "C0RESTART01",
            }).Ok();
            Assert.Empty((await admin.GetAsync("/api/v1/rotations/restart-hourly/announcements").Ok()).AsArray());
        }

        await using var second = await first.RestartOnSameDatabase();
        await using var db = NpgsqlDataSource.Create(first.ConnectionString);
        // Only the delivery ledger is watched: nothing activates the rotation but its own durable reminder.
        var rows = await Eventually.Get(() => HandoffDeliveries(db), r => r.Count >= 3, "the handoff announcements", TimeSpan.FromSeconds(60));

        Assert.Equal(["rs1", "rs2", "slack:C0RESTART01"], rows.Select(r => r.Recipient).Order());
        Assert.All(rows, r => Assert.True(r.ClaimedAt >= handoff, $"announced at {r.ClaimedAt:O}, before the handoff at {handoff:O}"));
        Assert.Equal(3, (await HandoffDeliveries(db)).Count);
    }

    private static async Task<List<(string Recipient, DateTimeOffset ClaimedAt)>> HandoffDeliveries(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand(
            "SELECT user_id, claimed_at FROM notification_deliveries WHERE rotation_id = 'restart-hourly' AND notification_id LIKE '%/handoff/%'");
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<(string, DateTimeOffset)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        return rows;
    }
}
