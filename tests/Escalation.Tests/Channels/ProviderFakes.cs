using System.Text.Json.Nodes;
using WireMock;
using WireMock.Types;
using WireMock.Util;
using WireMock.RequestBuilders;
using Request = WireMock.RequestBuilders.Request;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Escalation.Tests.Channels;

/// <summary>
/// Slack, Twilio, SendGrid and Discord's incoming webhooks as WireMock servers that answer as the real APIs do when all is well. Tests add
/// failures on top (a later mapping with a higher priority wins) and read what each provider received.
/// </summary>
public sealed class ProviderFakes : IDisposable
{
    public const string SlackBotToken = "xoxb-test-bot-token";
    public const string SlackSigningSecret = "slack-signing-secret-for-tests";
    public const string TwilioAccountSid = "ACtest0000000000000000000000000000";
    public const string TwilioAuthToken = "twilio-auth-token-for-tests";
    public const string TwilioFrom = "+15005550006";
    public const string SendGridKey = "SG.test-key";
    public const string PublicBaseUrl = "https://escalation.example.com";

    public WireMockServer Slack { get; } = WireMockServer.Start();
    public WireMockServer Twilio { get; } = WireMockServer.Start();
    public WireMockServer SendGrid { get; } = WireMockServer.Start();
    public WireMockServer Discord { get; } = WireMockServer.Start();

    /// <summary>The Discord channels configured, one per tier as the teams route them, each its own webhook.</summary>
    public static readonly IReadOnlyList<string> DiscordChannels = ["sev1", "sev2", "sev3", "fyi"];

    /// <summary>A channel's webhook path: /api/webhooks/{webhook id}/{token}, as Discord gives it.</summary>
    public static string DiscordWebhookPath(string channel) => $"/api/webhooks/10{DiscordChannels.ToList().IndexOf(channel)}/token-of-{channel}";

    public ProviderFakes()
    {
        // As Slack does: a message to a user id lands in a DM channel (D...), and every message gets its own ts.
        Slack.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost()).AtPriority(100)
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var channel = JsonNode.Parse(request.Body!)!["channel"]!.GetValue<string>();
                if (channel.StartsWith('U')) channel = "D" + channel[1..];
                return SlackOk(channel, $"1700000000.{Interlocked.Increment(ref _slackTs):D6}");
            }));
        Slack.Given(Request.Create().WithPath("/api/chat.update").UsingPost()).AtPriority(100)
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var body = JsonNode.Parse(request.Body!)!;
                return SlackOk(body["channel"]!.GetValue<string>(), body["ts"]!.GetValue<string>());
            }));
        Slack.Given(Request.Create().WithPath("/actions/*").UsingPost()).AtPriority(100)
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("ok"));
        Twilio.Given(Request.Create().WithPath($"/2010-04-01/Accounts/{TwilioAccountSid}/Messages.json").UsingPost()).AtPriority(100)
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
                .WithBody("""{"sid":"SM00000000000000000000000000000001","status":"queued"}"""));
        // As Discord does with ?wait=true: the message comes back, with its id (a snowflake) and the embeds it was given.
        Discord.Given(Request.Create().WithPath("/api/webhooks/*/*").WithParam("wait", "true").UsingPost()).AtPriority(100)
            .RespondWith(Response.Create().WithCallback(request =>
                DiscordMessage($"12000000000000{Interlocked.Increment(ref _discordId):D5}", request.Body!)));
        Discord.Given(Request.Create().WithPath("/api/webhooks/*/*/messages/*").UsingPatch()).AtPriority(100)
            .RespondWith(Response.Create().WithCallback(request => DiscordMessage(request.Path.Split('/')[^1], request.Body!)));
        SendGrid.Given(Request.Create().WithPath("/v3/mail/send").UsingPost()).AtPriority(100)
            .RespondWith(Response.Create().WithStatusCode(202).WithHeader("X-Message-Id", "sg-message-1"));
    }

    /// <summary>The service's settings that point every provider at these fakes.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Escalation:PublicBaseUrl"] = PublicBaseUrl,
        ["Escalation:Channels:Slack:BotToken"] = SlackBotToken,
        ["Escalation:Channels:Slack:SigningSecret"] = SlackSigningSecret,
        ["Escalation:Channels:Slack:ApiBaseUrl"] = Slack.Url + "/api/",
        ["Escalation:Channels:Slack:ResponseUrlBase"] = Slack.Url + "/actions/",
        ["Escalation:Channels:Twilio:AccountSid"] = TwilioAccountSid,
        ["Escalation:Channels:Twilio:AuthToken"] = TwilioAuthToken,
        ["Escalation:Channels:Twilio:FromNumber"] = TwilioFrom,
        ["Escalation:Channels:Twilio:ApiBaseUrl"] = Twilio.Url + "/",
        // Bundling has its own tests; elsewhere every page SMS goes out at once.
        ["Escalation:Channels:Twilio:PagesPerNumberEvery"] = "00:00:00",
        ["Escalation:Channels:Twilio:ReplyCodeReuseAfter"] = "00:00:00",
        ["Escalation:Channels:SendGrid:ApiKey"] = SendGridKey,
        ["Escalation:Channels:SendGrid:FromEmail"] = "pager@example.com",
        ["Escalation:Channels:SendGrid:ApiBaseUrl"] = SendGrid.Url,
        ["Escalation:Discord:Channels:sev1"] = Discord.Url + DiscordWebhookPath("sev1"),
        ["Escalation:Discord:Channels:sev2"] = Discord.Url + DiscordWebhookPath("sev2"),
        ["Escalation:Discord:Channels:sev3"] = Discord.Url + DiscordWebhookPath("sev3"),
        ["Escalation:Discord:Channels:fyi"] = Discord.Url + DiscordWebhookPath("fyi"),
        // Fast retries: five attempts within a second or so instead of two minutes.
        ["Escalation:Delivery:RetryDelays:0"] = "00:00:00.05",
        ["Escalation:Delivery:RetryDelays:1"] = "00:00:00.1",
        ["Escalation:Delivery:RetryDelays:2"] = "00:00:00.2",
        ["Escalation:Delivery:RetryDelays:3"] = "00:00:00.3",
        ["Escalation:Delivery:LongestRetryAfter"] = "00:00:01",
        // The production timeout: a cold first call on a busy two-core machine can take seconds, and a call cut off
        // after the fake got it is sent again (as a real provider would get it twice).
        ["Escalation:Delivery:ProviderTimeout"] = "00:00:10",
    };

    private int _slackTs;
    private int _discordId;

    private static ResponseMessage DiscordMessage(string id, string body) => new()
    {
        StatusCode = 200,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData
        {
            DetectedBodyType = BodyType.String,
            BodyAsString = new JsonObject
            {
                ["id"] = id, ["type"] = 0, ["channel_id"] = "1100000000000000001", ["webhook_id"] = "100",
                ["embeds"] = JsonNode.Parse(body)!["embeds"]!.DeepClone(),
            }.ToJsonString(),
        },
    };

    private static ResponseMessage SlackOk(string channel, string ts) => new()
    {
        StatusCode = 200,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData
        {
            DetectedBodyType = BodyType.String,
            BodyAsString = new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = ts }.ToJsonString(),
        },
    };

    public void Dispose()
    {
        Slack.Stop();
        Twilio.Stop();
        SendGrid.Stop();
        Discord.Stop();
    }
}
