using System.Text.Json.Nodes;
using Escalation.Incidents;
using Escalation.Routing;
using Escalation.Silo.Channels.Discord;

namespace Escalation.Tests.Channels.Discord;

public sealed class DiscordEmbedsTests
{
    private static IncidentState Incident(IncidentStatus status = IncidentStatus.Triggered, Priority priority = Priority.P4) => new()
    {
        Id = "inc-7",
        ServiceId = "checkout",
        Title = "Disk *80%* on db-1",
        Source = "prometheus",
        Component = "db-1",
        Priority = priority,
        Status = status,
        ResolvedBy = status == IncidentStatus.Resolved ? "aiko" : null,
        CreatedAt = new DateTimeOffset(2026, 12, 2, 15, 0, 0, TimeSpan.FromHours(9)),
        Links = [new IncidentLink("https://grafana.example.com/d/x?a=(1)", "Dashboard")],
    };

    [Fact]
    public void The_message_is_one_embed_with_the_incident_s_facts_and_mentions_off()
    {
        var message = DiscordEmbeds.Message(Incident(), "Checkout", "https://oncall.example.com/api/v1/incidents/inc-7");

        var expected = JsonNode.Parse("""
            {
              "embeds": [{
                "title": "[P4] Disk \\*80%\\* on db-1",
                "description": "Triggered\nFrom prometheus / db-1",
                "url": "https://oncall.example.com/api/v1/incidents/inc-7",
                "color": 1668818,
                "fields": [
                  { "name": "Priority", "value": "P4", "inline": true },
                  { "name": "Status", "value": "Triggered", "inline": true },
                  { "name": "Service", "value": "Checkout", "inline": true },
                  { "name": "Links", "value": "[Dashboard](https://grafana.example.com/d/x?a=%281%29)", "inline": false }
                ],
                "timestamp": "2026-12-02T06:00:00.000Z"
              }],
              "allowed_mentions": { "parse": [] }
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, message), message.ToJsonString());
    }

    [Theory]
    [InlineData(Priority.P1, 0xD32F2F)]
    [InlineData(Priority.P2, 0xF57C00)]
    [InlineData(Priority.P3, 0xFBC02D)]
    [InlineData(Priority.P4, 0x1976D2)]
    public void The_colour_tells_the_priority(Priority priority, int color) =>
        Assert.Equal(color, (int)DiscordEmbeds.Embed(Incident(priority: priority), "s", "https://x")["color"]!);

    [Fact]
    public void Once_resolved_it_is_green_and_says_who_resolved_it()
    {
        var embed = DiscordEmbeds.Embed(Incident(IncidentStatus.Resolved), "s", "https://x");

        Assert.Equal(DiscordEmbeds.ResolvedColor, (int)embed["color"]!);
        Assert.StartsWith("Resolved by aiko\n", (string)embed["description"]!);
        Assert.Equal("Resolved", (string)embed["fields"]![1]!["value"]!);
    }

    [Fact]
    public void A_long_title_fits_Discord_s_limit_and_mentions_show_as_text()
    {
        var incident = Incident();
        incident.Title = "@everyone " + new string('_', 400);

        var title = (string)DiscordEmbeds.Embed(incident, "s", "https://x")["title"]!;

        Assert.True(title.Length <= 256, $"{title.Length} characters");
        Assert.StartsWith("[P4] \\@everyone \\_", title);
        Assert.EndsWith("…", title);
    }
}
