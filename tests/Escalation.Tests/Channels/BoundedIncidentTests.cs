using System.Text.Json.Nodes;
using Escalation.Testing;
using Escalation.Tests.Api;
using Npgsql;
using static Escalation.Tests.Channels.ChannelSetup;

namespace Escalation.Tests.Channels;

/// <summary>An incident keeps only its latest eight timeline entries and four notifications in its state, instead of 200 each.</summary>
public sealed class SmallIncidentState() : ChannelsFixture(new Dictionary<string, string?>
{
    ["Escalation:Incidents:KeepTimelineEntries"] = "8",
    ["Escalation:Incidents:KeepNotifications"] = "4",
});

public sealed class BoundedIncidentTests(SmallIncidentState fixture) : IClassFixture<SmallIncidentState>
{
    private readonly HttpClient _admin = fixture.App.Client();

    [Fact]
    public async Task An_incident_cycling_through_acknowledgement_timeouts_keeps_its_state_small_shows_everything_and_still_updates_Slack()
    {
        const int cycles = 6;
        var service = await Configure(_admin, "bounded", "PT15M", "CBOUNDED", new Responder("bounded-u", SlackUserId: "UBOUNDED", Rules: [Rule("slack")]));
        await _admin.PutJson($"/api/v1/services/{service}", new
        {
            name = "Service bounded", escalation_policy_id = service, slack_channel = "CBOUNDED", acknowledgement_timeout = "PT1S",
        }).Ok();
        var id = await Trigger(_admin, service, "Flapping queue");

        for (var cycle = 0; cycle < cycles; cycle++)
        {
            await Eventually.Get(() => _admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok(),
                n => n.AsArray().Any(p => p!.Str("id").Contains($"/{cycle}.1.0/bounded-u/slack") && p!.Str("status") == "sent"), $"cycle {cycle}'s page");
            await _admin.PostJson($"/api/v1/incidents/{id}/acknowledge", new { by = "bounded-u", note = $"cycle {cycle}" }).Ok();
            if (cycle < cycles - 1)
                await Eventually.Get(() => _admin.GetAsync($"/api/v1/incidents/{id}").Ok(), i => i.Str("status") == "triggered", "the acknowledgement to time out");
        }

        // Every turn is still shown, in order, though the state keeps only the latest.
        var incident = await _admin.GetAsync($"/api/v1/incidents/{id}").Ok();
        var timeline = incident["timeline"]!.AsArray().Select(e => e!).ToList();
        Assert.Equal(Enumerable.Range(0, cycles).Select(c => $"Acknowledged by bounded-u: cycle {c}"),
            timeline.Where(e => e.Str("type") == "acknowledged").Select(e => e.Str("message")));
        Assert.Equal(cycles - 1, timeline.Count(e => e.Str("type") == "retriggered"));
        var log = (await _admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok()).AsArray();
        Assert.Equal(cycles, log.Count(n => n!.Str("kind") == "page"));
        Assert.Equal(log.Count, log.Select(n => n!.Str("id")).Distinct().Count());

        var stored = await StoredState(id);
        Assert.InRange(stored["timeline"]!.AsArray().Count, 1, 8);
        Assert.True(stored["timeline_archived"]!.GetValue<int>() > 0);
        Assert.True(stored["notifications_archived"]!.GetValue<int>() > 0);

        // Slack is still told of every acknowledgement, in the thread, three cycles and more past the limits.
        var replies = await ProviderRequests.Until(() => fixture.Fakes.Slack.SlackPosts("CBOUNDED").Where(p => p["thread_ts"] is not null).ToList(),
            r => r.Count(p => p["text"]!.GetValue<string>().Contains("Acknowledged by")) == cycles, "every acknowledgement in the thread");
        Assert.Equal(cycles, replies.Count(p => p["text"]!.GetValue<string>().Contains("Acknowledged by")));
    }

    private async Task<JsonNode> StoredState(string incidentId)
    {
        await using var db = NpgsqlDataSource.Create(fixture.App.ConnectionString);
        await using var cmd = db.CreateCommand(
            "SELECT state::text FROM incidents WHERE id = $1");
        cmd.Parameters.AddWithValue(incidentId);
        return JsonNode.Parse((string)(await cmd.ExecuteScalarAsync())!)!;
    }
}
