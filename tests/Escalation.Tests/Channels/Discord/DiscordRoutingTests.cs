using System.Text.Json.Nodes;
using Escalation.Testing;
using Escalation.Tests.Api;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static Escalation.Tests.Channels.ChannelSetup;
using Request = WireMock.RequestBuilders.Request;

namespace Escalation.Tests.Channels.Discord;

/// <summary>
/// The teams' four tiers routed to four Discord channels, through the real service and a fake of Discord's incoming
/// webhooks: one post per incident, kept up to date in place, and nobody paged for what only posts.
/// </summary>
public sealed class DiscordRoutingTests(ChannelsFixture fixture) : IClassFixture<ChannelsFixture>
{
    private readonly HttpClient _admin = fixture.App.Client();
    private ProviderFakes Fakes => fixture.Fakes;

    private static readonly object FourTiers = new
    {
        p1 = new { action = "page", post_to_channel = true, discord_channel = "sev1" },
        p2 = new { action = "page", post_to_channel = true, discord_channel = "sev2" },
        p3 = new { action = "post_only", discord_channel = "sev3" },
        p4 = new { action = "post_only", discord_channel = "fyi" },
    };

    private async Task<string> Service(string prefix, object routing)
    {
        await Configure(_admin, prefix, "PT15M", new Responder($"{prefix}-u", SlackUserId: $"U{prefix.ToUpperInvariant().Replace("-", "")}", Rules: [Rule("slack")]));
        await _admin.PutJson($"/api/v1/services/{prefix}", new { name = $"Service {prefix}", escalation_policy_id = prefix, routing }).Ok();
        return prefix;
    }

    private Task<JsonNode> Notifications(string id) => _admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok();

    private List<WireMock.IRequestMessage> Posts(string channel, string title, bool acceptedOnly = false) =>
        Fakes.Discord.DiscordCalls(channel, "POST", acceptedOnly).Where(r => r.Body!.Contains(title, StringComparison.Ordinal)).ToList();

    private List<WireMock.IRequestMessage> Edits(string channel, string title) =>
        Fakes.Discord.DiscordCalls(channel, "PATCH").Where(r => r.Body!.Contains(title, StringComparison.Ordinal)).ToList();

    private static JsonNode Embed(WireMock.IRequestMessage request) => JsonNode.Parse(request.Body!)!["embeds"]![0]!;

    [Fact]
    public async Task A_P4_posts_once_to_its_Discord_channel_pages_nobody_and_is_edited_in_place_on_resolve()
    {
        var service = await Service("dsc-fyi", FourTiers);
        var tried = await _admin.PostJson($"/api/v1/services/{service}/rules/test", new { alert = new { summary = "x", severity = "info" } }).Ok();
        Assert.Equal("fyi", tried.Str("discord_channel"));
        var id = await Trigger(_admin, service, "Disk at 80 percent", severity: "info");

        var sent = await Eventually.Get(() => Notifications(id), n => n.AsArray().Any(x => x!.Str("status") == "sent"), "the Discord post");
        var post = Assert.Single(sent.AsArray())!;
        Assert.Equal("channel_post", post.Str("kind"));
        Assert.Equal("discord", post.Str("channel"));
        Assert.Equal("fyi", post.Str("discord_channel"));
        Assert.Null(post["slack_channel"]?.GetValue<string>());

        var posted = Assert.Single(Posts("fyi", "Disk at 80 percent"));
        Assert.Equal("true", posted.Query!["wait"].Single());
        var body = JsonNode.Parse(posted.Body!)!;
        Assert.Equal("""{"parse":[]}""", body["allowed_mentions"]!.ToJsonString());
        var embed = Embed(posted);
        Assert.Equal("[P4] Disk at 80 percent", embed.Str("title"));
        Assert.Equal($"{ProviderFakes.PublicBaseUrl}/api/v1/incidents/{id}", embed.Str("url"));
        Assert.Equal(0x1976D2, embed["color"]!.GetValue<int>());
        Assert.Equal(["Priority", "Status", "Service"], embed["fields"]!.AsArray().Select(f => f!.Str("name")));
        Assert.Equal(["P4", "Triggered", "Service dsc-fyi"], embed["fields"]!.AsArray().Select(f => f!.Str("value")));
        Assert.StartsWith("12000000000000", post.Str("provider_message_id")); // the id Discord answered with

        await _admin.PostJson($"/api/v1/incidents/{id}/resolve", new { by = "dsc-fyi-u" }).Ok();
        var edits = await ProviderRequests.Until(() => Edits("fyi", "Disk at 80 percent"), e => e.Count == 1, "the post edited");
        Assert.Equal($"{ProviderFakes.DiscordWebhookPath("fyi")}/messages/{post.Str("provider_message_id")}", edits[0].Path);
        var edited = Embed(edits[0]);
        Assert.Equal("Resolved", edited["fields"]![1]!.Str("value"));
        Assert.StartsWith("Resolved by dsc-fyi-u", edited.Str("description"));

        await Task.Delay(300);
        Assert.Single(Posts("fyi", "Disk at 80 percent"));
        var notifications = await Notifications(id);
        Assert.DoesNotContain(notifications.AsArray(), n => n!.Str("kind") == "page");
        Assert.Contains(notifications.AsArray(), n => n!.Str("kind") == "discord_update" && n!.Str("status") == "sent");
    }

    [Fact]
    public async Task A_P1_pages_and_posts_in_its_own_tier_s_channel_and_in_Slack_as_before()
    {
        var service = await Service("dsc-sev1", FourTiers);
        await _admin.PutJson($"/api/v1/services/{service}", new { name = "Service dsc-sev1", escalation_policy_id = service, slack_channel = "CDSCSEV1", routing = FourTiers }).Ok();
        var id = await Trigger(_admin, service, "Checkout down", severity: "critical");

        var notifications = await Eventually.Get(() => Notifications(id), n => n.AsArray().Count(x => x!.Str("status") == "sent") == 3,
            "the page, the Slack post and the Discord post");
        Assert.Equal(["channel_post", "channel_post", "page"], notifications.AsArray().Select(n => n!.Str("kind")).Order());
        Assert.Single(Posts("sev1", "Checkout down"));
        Assert.Empty(Posts("fyi", "Checkout down"));
        Assert.Single(Fakes.Slack.SlackPosts("CDSCSEV1"));
        Assert.Equal(0xD32F2F, Embed(Posts("sev1", "Checkout down")[0])["color"]!.GetValue<int>());

        await _admin.PostJson($"/api/v1/incidents/{id}/acknowledge", new { by = "dsc-sev1-u" }).Ok();
        var edit = await ProviderRequests.Until(() => Edits("sev1", "Checkout down"), e => e.Count == 1, "the post edited");
        Assert.Equal("Acknowledged", Embed(edit[0])["fields"]![1]!.Str("value"));
        await ProviderRequests.Until(() => Fakes.Slack.SlackPosts("CDSCSEV1").Count, n => n == 2, "the acknowledgement in the Slack thread");
    }

    [Fact]
    public async Task Raising_a_P4_to_P2_edits_its_post_in_place_pages_and_posts_nowhere_else()
    {
        var service = await Service("dsc-raise", FourTiers);
        var id = await Trigger(_admin, service, "Queue slowly growing", severity: "info");
        await Eventually.Get(() => Notifications(id), n => n.AsArray().Any(x => x!.Str("status") == "sent"), "the Discord post");

        await _admin.PostJson($"/api/v1/incidents/{id}/priority", new { priority = "P2", by = "dsc-raise-u" }).Ok();

        var edit = await ProviderRequests.Until(() => Edits("fyi", "Queue slowly growing"), e => e.Count == 1, "the post edited");
        var embed = Embed(edit[0]);
        Assert.Equal("[P2] Queue slowly growing", embed.Str("title"));
        Assert.Equal(0xF57C00, embed["color"]!.GetValue<int>());
        await Eventually.Get(() => Notifications(id), n => n.AsArray().Any(x => x!.Str("kind") == "page" && x!.Str("status") == "sent"), "the page");
        Assert.Single(Posts("fyi", "Queue slowly growing"));
        Assert.Empty(Posts("sev2", "Queue slowly growing")); // one post per incident, kept where it is
    }

    [Fact]
    public async Task A_post_that_Discord_answers_with_503_then_429_is_retried_and_posted_once()
    {
        var title = "Flaky webhook";
        var request = Request.Create().WithPath(ProviderFakes.DiscordWebhookPath("fyi")).UsingPost().WithBody(new WildcardMatcher($"*{title}*"));
        Fakes.Discord.Given(request).AtPriority(1).InScenario("discord-flaky").WillSetStateTo("503 given")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("upstream connect error"));
        Fakes.Discord.Given(request).AtPriority(1).InScenario("discord-flaky").WhenStateIs("503 given").WillSetStateTo("429 given")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithHeader("Content-Type", "application/json")
                .WithBody("""{"message":"You are being rate limited.","retry_after":1.0,"global":false}"""));
        var service = await Service("dsc-flaky", FourTiers);
        var id = await Trigger(_admin, service, title, severity: "info");

        var sent = await Eventually.Get(() => Notifications(id), n => n.AsArray().Any(x => x!.Str("status") == "sent"), "the Discord post");
        var post = Assert.Single(sent.AsArray())!;
        Assert.Equal(3, post["attempts"]!.GetValue<int>());
        Assert.Equal(["transient", "transient", "delivered"], post["attempt_log"]!.AsArray().Select(a => a!.Str("outcome")));
        Assert.Equal(3, Posts("fyi", title).Count);

        await _admin.PostJson($"/api/v1/incidents/{id}/resolve", new { by = "dsc-flaky-u" }).Ok();
        var edits = await ProviderRequests.Until(() => Edits("fyi", title), e => e.Count == 1, "the post edited");
        Assert.EndsWith($"/messages/{post.Str("provider_message_id")}", edits[0].Path);
        await Task.Delay(300);
        Assert.Single(Posts("fyi", title, acceptedOnly: true));
    }

    [Fact]
    public async Task A_route_to_a_Discord_channel_that_is_not_configured_is_accepted_and_the_timeline_says_why_nothing_was_posted()
    {
        var service = await Service("dsc-nowhere", new { p4 = new { action = "post_only", discord_channel = "nowhere" } });
        var id = await Trigger(_admin, service, "Nowhere to go", severity: "info");

        var incident = await Eventually.Get(() => _admin.GetAsync($"/api/v1/incidents/{id}").Ok(),
            i => i["timeline"]!.AsArray().Any(e => e!.Str("type") == "notification_failed"), "the failed post on the timeline");
        var failed = incident["timeline"]!.AsArray().First(e => e!.Str("type") == "notification_failed")!.Str("message");
        Assert.Equal("Posted in Discord channel nowhere failed: discord: no webhook for channel 'nowhere': set Escalation:Discord:Channels:nowhere", failed);
        Assert.Equal("nowhere", incident["routing"]!.Str("discord_channel"));
    }

    [Fact]
    public async Task A_discord_channel_of_the_wrong_type_or_shape_is_a_400_naming_the_field()
    {
        var typed = await _admin.PutJson("/api/v1/services/dsc-bad",
            JsonNode.Parse("""{"name":"x","escalation_policy_id":"default","routing":{"p4":{"action":"post_only","discord_channel":42}}}""")!).Problem(400);
        Assert.Contains("routing.p4.discord_channel", typed.Str("detail"));

        var shaped = await _admin.PutJson("/api/v1/services/dsc-bad", new
        {
            name = "x",
            escalation_policy_id = "default",
            routing = new { p4 = new { action = "post_only", discord_channel = "not a name!" }, p2 = new { action = "record_only", discord_channel = "sev2" } },
        }).Problem(400);
        var errors = shaped["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Contains("routing.p4.discord_channel", errors);
        Assert.Contains("routing.p2.discord_channel", errors);
    }
}
