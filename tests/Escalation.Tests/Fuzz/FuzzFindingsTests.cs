using System.Text.Json.Nodes;
using Escalation.Tests.Api;
using Escalation.Tests.Channels;

namespace Escalation.Tests.Fuzz;

/// <summary>What the fuzz found, each kept as a plain test: every one of these was a 500 or a 400 that named nothing.</summary>
public sealed class FuzzFindingsTests(FuzzFixture fixture) : IClassFixture<FuzzFixture>
{
    private readonly HttpClient _admin = fixture.App.Client();

    [Theory]
    [InlineData("/api/v1/rotations/%20/oncall")]
    [InlineData("/api/v1/rotations/%0A/overrides")]
    [InlineData("/api/v1/rotations/%E2%80%A8/calendar.ics?token=x")]
    public async Task A_blank_rotation_id_is_a_404(string path) => await _admin.GetAsync(path).Problem(404);

    [Theory]
    [InlineData("limit", "abc")]
    [InlineData("limit", "1.5")]
    [InlineData("offset", "1e3")]
    [InlineData("offset", "-1")]
    public async Task A_list_parameter_that_is_not_a_whole_number_is_a_400_naming_it(string name, string value)
    {
        var problem = await _admin.GetAsync($"/api/v1/incidents?{name}={value}").Problem(400);
        Assert.NotNull(problem["errors"]?[name]);
    }

    [Fact]
    public async Task A_service_filter_that_cannot_be_an_id_is_a_400_naming_it()
    {
        var problem = await _admin.GetAsync("/api/v1/incidents?service_id=bad%00key").Problem(400);
        Assert.NotNull(problem["errors"]?["service_id"]);
    }

    [Fact]
    public async Task A_twilio_status_holding_a_nul_is_a_400() =>
        await Twilio.Status(fixture.App, "SM00000000000000000000000000000009", "bad\0status").Problem(400);

    [Fact]
    public async Task A_slack_payload_holding_a_nul_is_a_400()
    {
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = "U0\u0000" },
            ["actions"] = new JsonArray(new JsonObject { ["action_id"] = "incident.acknowledge", ["value"] = fixture.IncidentId }),
        };
        var body = "payload=" + Uri.EscapeDataString(payload.ToJsonString());
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/slack/interactions")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp.ToString());
        request.Headers.Add("X-Slack-Signature", ProviderSignatures.Slack(ProviderFakes.SlackSigningSecret, timestamp, body));
        await fixture.App.Client(key: null).SendAsync(request).Problem(400);
    }
}
