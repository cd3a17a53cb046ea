using System.Net;
using System.Net.Http.Headers;

namespace Escalation.Tests.Api;

/// <summary>Team size, levels, targets and the size of an /api/v1 body are bounded, each refused naming the limit.</summary>
public sealed class InputLimitsTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _admin = fixture.App.Client();

    [Fact]
    public async Task A_team_of_more_than_100_members_is_a_400_naming_the_limit()
    {
        var members = Enumerable.Range(0, 101).Select(i => $"member-{i}").ToArray();
        var problem = await _admin.PutJson("/api/v1/teams/crowd", new { name = "Crowd", members }).Problem(400);
        Assert.Contains("at most 100", problem["errors"]!["members"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_level_with_more_than_10_targets_is_a_400_naming_the_level_and_the_limit()
    {
        var targets = Enumerable.Repeat(new { type = "user", id = "oncall" }, 11).ToArray();
        var problem = await _admin.PutJson("/api/v1/escalation-policies/wide", new
        {
            name = "Wide", levels = new[] { new { escalate_after = "PT5M", targets } },
        }).Problem(400);
        Assert.Contains("between 1 and 10", problem["errors"]!["levels[0].targets"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_policy_of_more_than_20_levels_is_a_400_naming_the_limit()
    {
        var levels = Enumerable.Range(0, 21).Select(_ => new { escalate_after = "PT5M", targets = new[] { new { type = "user", id = "oncall" } } });
        var problem = await _admin.PutJson("/api/v1/escalation-policies/deep", new { name = "Deep", levels }).Problem(400);
        Assert.Contains("between 1 and 20", problem["errors"]!["levels"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_body_over_1_MiB_is_a_413_naming_the_limit_with_or_without_a_length()
    {
        var json = $$"""{"name":"{{new string('x', 1024 * 1024)}}","time_zone":"Asia/Tokyo"}""";
        var sized = await _admin.PutAsync("/api/v1/users/big", new StringContent(json, System.Text.Encoding.UTF8, "application/json")).Problem(413);
        Assert.Contains("Escalation:Api:MaxBodyBytes", sized.Str("detail"));
        Assert.Equal(1024 * 1024, sized["limit"]!.GetValue<long>());

        var unsized = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
        unsized.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/users/big") { Content = unsized };
        request.Headers.TransferEncodingChunked = true;
        await _admin.SendAsync(request).Problem(413);
        await _admin.GetAsync("/api/v1/users/big").Problem(404);
    }

    [Fact]
    public async Task The_body_limit_is_a_setting()
    {
        await using var app = await EscalationApp.StartAsync(settings: new Dictionary<string, string?> { ["Escalation:Api:MaxBodyBytes"] = "2048" });
        var admin = app.Client();
        // Padded with whitespace, which JSON allows anywhere between tokens.
        HttpContent Padded(int bytes) => new StringContent("""{"name":"Small","time_zone":"Asia/Tokyo"}""" + new string(' ', bytes - 41),
            System.Text.Encoding.UTF8, "application/json");
        var small = await admin.PutAsync("/api/v1/users/small", Padded(2048));
        Assert.Equal(HttpStatusCode.Created, small.StatusCode);
        var problem = await admin.PutAsync("/api/v1/users/small", Padded(2049)).Problem(413);
        Assert.Equal(2048, problem["limit"]!.GetValue<long>());
    }
}
