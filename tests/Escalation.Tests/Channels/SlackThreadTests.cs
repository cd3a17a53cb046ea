using System.Text.Json.Nodes;
using Escalation.Testing;
using Escalation.Tests.Api;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using Request = WireMock.RequestBuilders.Request;
using WireMock.ResponseBuilders;
using static Escalation.Tests.Channels.ChannelSetup;

namespace Escalation.Tests.Channels;

/// <summary>What responders see in Slack when the incident moves on while its messages are still going out, or some can no longer be changed.</summary>
public sealed class SlackThreadTests(ChannelsFixture fixture) : IClassFixture<ChannelsFixture>
{
    private readonly HttpClient _admin = fixture.App.Client();
    private ProviderFakes Fakes => fixture.Fakes;

    [Fact]
    public async Task A_channel_post_retried_after_a_rate_limit_shows_the_incident_as_it_is_when_it_goes_out()
    {
        var id = await TriggerWithChannelPostHeld("slk-late", "CSLKLATE", "Late post");
        await _admin.PostJson($"/api/v1/incidents/{id}/resolve", new { by = "slk-late-u" }).Ok();
        LiftRateLimit("CSLKLATE");

        await Eventually.Get(() => _admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok(),
            n => n.AsArray().Any(x => x!.Str("kind") == "channel_post" && x!.Str("status") == "sent"), "the channel post sent");
        var posted = ChannelPosts("CSLKLATE")[^1];
        Assert.DoesNotContain(posted["blocks"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "actions");
        Assert.Contains("Resolved by slk-late-u", posted["blocks"]!.ToJsonString());
    }

    [Fact]
    public async Task Turns_taken_while_the_channel_post_is_still_being_sent_are_told_in_its_thread_in_order()
    {
        var id = await TriggerWithChannelPostHeld("slk-wait", "CSLKWAIT", "Busy channel");
        await _admin.PostJson($"/api/v1/incidents/{id}/acknowledge", new { by = "slk-wait-u" }).Ok();
        await _admin.PostJson($"/api/v1/incidents/{id}/resolve", new { by = "slk-wait-u" }).Ok();
        LiftRateLimit("CSLKWAIT"); // both turns were taken while the post was still being sent

        var replies = await ProviderRequests.Until(() => ThreadReplies("CSLKWAIT"), r => r.Count == 2, "both turns in the thread");
        Assert.Contains("Acknowledged by slk-wait-u", replies[0]["text"]!.GetValue<string>());
        Assert.Null(replies[0]["blocks"]); // a plain line: only the resolution is told in the recovery format
        Assert.NotNull(replies[1]["blocks"]);
        var postTs = PostedTs("CSLKWAIT");
        Assert.All(replies, r => Assert.Equal(postTs, r["thread_ts"]!.GetValue<string>()));
        var dm = await ProviderRequests.Until(() => Fakes.Slack.SlackUpdates("DSLKWAIT"), u => u.Count == 2, "the DM rewritten for both turns");
        Assert.DoesNotContain(dm[^1]["blocks"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "actions");

        await Task.Delay(500);
        Assert.Equal(2, ThreadReplies("CSLKWAIT").Count);
    }

    [Fact]
    public async Task A_message_that_can_no_longer_be_changed_does_not_hold_up_the_others_or_the_thread()
    {
        Fakes.Slack.Given(Request.Create().WithPath("/api/chat.update").UsingPost().WithBody(new WildcardMatcher("*DSLKGONE*"))).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"ok":false,"error":"message_not_found"}"""));
        var service = await Configure(_admin, "slk-gone", "PT15M", "CSLKGONE", new Responder("slk-gone-u", SlackUserId: "USLKGONE", Rules: [Rule("slack")]));
        var id = await Trigger(_admin, service, "Deleted DM");
        await Eventually.Get(() => _admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok(),
            n => n.AsArray().Count(x => x!.Str("status") == "sent") == 2, "both Slack messages recorded as sent");

        await _admin.PostJson($"/api/v1/incidents/{id}/acknowledge", new { by = "slk-gone-u" }).Ok();
        var reply = await ProviderRequests.Until(() => ThreadReplies("CSLKGONE"), r => r.Count == 1, "the acknowledgement in the thread");
        Assert.Contains("Acknowledged by slk-gone-u", reply[0]["text"]!.GetValue<string>());
        await ProviderRequests.Until(() => Fakes.Slack.SlackUpdates("CSLKGONE"), u => u.Count == 1, "the channel post rewritten");

        await _admin.PostJson($"/api/v1/incidents/{id}/resolve", new { by = "slk-gone-u" }).Ok();
        await ProviderRequests.Until(() => ThreadReplies("CSLKGONE"), r => r.Count == 2, "the recovery in the thread");
        await ProviderRequests.Until(() => Fakes.Slack.SlackUpdates("CSLKGONE"), u => u.Count == 2, "the channel post rewritten again");
    }

    [Fact]
    public async Task A_japanese_service_pages_in_japanese()
    {
        var service = await Configure(_admin, "slk-ja", "PT15M", new Responder("slk-ja-u", SlackUserId: "USLKJA", Rules: [Rule("slack")]));
        await _admin.PutJson($"/api/v1/services/{service}", new { name = "決済", escalation_policy_id = service, locale = "ja" }).Ok();
        await Trigger(_admin, service, "決済エラー");

        var dm = (await ProviderRequests.Until(() => Fakes.Slack.SlackPosts("USLKJA"), p => p.Count == 1, "the DM"))[0];
        Assert.StartsWith("呼び出し：", dm["text"]!.GetValue<string>());
        Assert.Contains("確認", dm["blocks"]!.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    /// <summary>The channel's first two posts are refused with a 429 and a Retry-After of a second, the longest the fixture honours.</summary>
    /// <summary>
    /// An incident of a service posting to <paramref name="channel"/>, paging "{prefix}-u" on Slack, whose channel post
    /// has had its first, rate-limited attempt and is held until <see cref="LiftRateLimit"/>.
    /// </summary>
    private async Task<string> TriggerWithChannelPostHeld(string prefix, string channel, string title)
    {
        RateLimit(channel);
        var service = await Configure(_admin, prefix, "PT15M", channel,
            new Responder($"{prefix}-u", SlackUserId: "U" + channel[1..], Rules: [Rule("slack")]));
        var id = await Trigger(_admin, service, title);
        await ProviderRequests.Until(() => ChannelPosts(channel), p => p.Count == 1, "the first, rate-limited attempt");
        return id;
    }

    /// <summary>Posts to the channel are answered 429 (Retry-After 1 s) until the test lifts it: within the post's five attempts.</summary>
    private void RateLimit(string channel)
    {
        var toChannel = Request.Create().WithPath("/api/chat.postMessage").UsingPost().WithBody(new WildcardMatcher($"*\"channel\":\"{channel}\"*"));
        var limited = Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithHeader("Content-Type", "application/json")
            .WithBody("""{"ok":false,"error":"ratelimited"}""");
        Fakes.Slack.Given(toChannel).AtPriority(1).InScenario($"rate-limited-{channel}").RespondWith(limited);
    }

    private void LiftRateLimit(string channel) => Fakes.Slack.SetScenarioState($"rate-limited-{channel}", "lifted");

    private List<JsonNode> ChannelPosts(string channel) => Fakes.Slack.SlackPosts(channel).Where(p => p["thread_ts"] is null).ToList();

    private List<JsonNode> ThreadReplies(string channel) => Fakes.Slack.SlackPosts(channel).Where(p => p["thread_ts"] is not null).ToList();

    private string PostedTs(string channel) =>
        Fakes.Slack.LogEntries.Single(e => e.RequestMessage!.Path == "/api/chat.postMessage" && e.RequestMessage.Body!.Contains(channel)
                && !e.RequestMessage.Body.Contains("thread_ts") && e.ResponseMessage!.BodyData!.BodyAsString!.Contains("\"ok\":true"))
            .ResponseMessage!.BodyData!.BodyAsString!.Split("\"ts\":\"")[1].Split('"')[0];
}
