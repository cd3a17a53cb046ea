using System.Net;
using System.Text.Json.Nodes;
using Escalation.Testing;
using Escalation.Tests.Api;
using WireMock.Server;
using static Escalation.Tests.Channels.ChannelSetup;
using Request = WireMock.RequestBuilders.Request;
using Response = WireMock.ResponseBuilders.Response;

namespace Escalation.Tests.Channels;

/// <summary>Paging again while nobody is reached shortened from 15 s to a minute, to a fraction of a second to one.</summary>
public sealed class OutageFixture() : ChannelsFixture(new Dictionary<string, string?>
{
    ["Escalation:Incidents:RetryUnreachedAfter"] = "00:00:00.2",
    ["Escalation:Incidents:RetryUnreachedAtMost"] = "00:00:01",
});

/// <summary>
/// Every provider down at once, through the real service and fakes of Slack, Twilio and SendGrid: with 503s (an outage),
/// and with 401s (a token that was rotated). The ten-minute outage on the production schedule is a fake-clock test
/// (<c>NobodyReachedTests</c>); here the schedule is shortened and so is the outage.
/// </summary>
public sealed class ProviderOutageTests(OutageFixture fixture) : IClassFixture<OutageFixture>
{
    private readonly HttpClient _admin = fixture.App.Client();
    private ProviderFakes Fakes => fixture.Fakes;
    /// <summary>Longer than the default: under the whole suite's load a round of attempts can take a while.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private WireMockServer[] Providers => [Fakes.Slack, Fakes.Twilio, Fakes.SendGrid];

    [Fact]
    public async Task After_an_outage_of_every_provider_each_responder_is_reached_and_no_channel_twice()
    {
        var outage = Providers.Select(p => Down(p, 503, """{"error":"service unavailable"}""")).ToList();
        var service = await Configure(_admin, "outage-503", "PT2M",
            new Responder("outage-503-a", SlackUserId: "UOUTAGEA", Phone: "+15550304001", Email: "outage-a@example.com"),
            new Responder("outage-503-b", Email: "outage-b@example.com"));
        var id = await Trigger(_admin, service, "Everything is down");

        var waiting = await Eventually.Get(() => _admin.GetAsync($"/api/v1/incidents/{id}").Ok(),
            i => i["escalation"]!["nobody_reached"]!.GetValue<bool>()
                && i["timeline"]!.AsArray().Count(e => e!.Str("type") == "nobody_reached" && e!.Str("message").Contains("outage-503-b")) > 0,
            "nobody reached, and both paged again", Patience);
        Assert.Equal(2, waiting["escalation"]!["level"]!.GetValue<int>());
        Assert.Equal(["outage-503-a", "outage-503-b"], waiting["escalation"]!["unreached"]!.AsArray().Select(u => u!.GetValue<string>()));
        var tries = waiting["timeline"]!.AsArray().Where(e => e!.Str("type") == "nobody_reached").Select(e => e!.Str("message")).ToList();
        Assert.Contains(tries, m => m.StartsWith("Nobody has been reached yet: paging outage-503-a again at"));
        Assert.Contains(tries, m => m.StartsWith("Nobody has been reached yet: paging") && m.Contains("outage-503-b again at"));
        // More rounds come while the outage lasts.
        await ProviderRequests.Until(() => Fakes.SendGrid.Mails("outage-b@example.com"), m => m.Count >= 15, "pages again to b", Patience);

        Recover(outage);
        // Each responder is reached (the round in flight when the providers came back may reach a person on some of
        // their channels only: once reached, they are not paged again), and no channel is sent the page twice.
        await ProviderRequests.Until(() => Fakes.SendGrid.Mails("outage-b@example.com", acceptedOnly: true).Count, n => n >= 1, "b reached", Patience);
        await ProviderRequests.Until(AcceptedForA, n => n.Sum() >= 1, "a reached", Patience);

        var incident = await Eventually.Get(() => _admin.GetAsync($"/api/v1/incidents/{id}").Ok(),
            i => !i["escalation"]!["nobody_reached"]!.GetValue<bool>() && i["escalation"]!["next_try_at"] is null, "someone reached, nothing more to try", Patience);
        Assert.Equal("triggered", incident.Str("status"));
        await Task.Delay(TimeSpan.FromSeconds(2)); // past two more rounds' gaps: nothing more may be sent
        Assert.Single(Fakes.SendGrid.Mails("outage-b@example.com", acceptedOnly: true));
        Assert.All(AcceptedForA(), n => Assert.InRange(n, 0, 1));
        // Read again: b's delivery report can reach the incident after a's made "nobody reached" false.
        var settled = await _admin.GetAsync($"/api/v1/incidents/{id}").Ok();
        Assert.Empty(settled["escalation"]!["unreached"]!.AsArray());

        var log = (await _admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok()).AsArray();
        Assert.Equal(log.Count, log.Select(n => n!.Str("id")).Distinct().Count());
        Assert.Contains(log, n => n!.Str("id").EndsWith("/retry-1") && n!.Str("status") == "failed");
    }

    [Fact]
    public async Task A_provider_refusing_the_token_is_retried_shown_as_degraded_and_pages_once_the_token_works()
    {
        var refused = Down(Fakes.Twilio, 401, """{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}""");
        var service = await Configure(_admin, "outage-401", "PT2M", new Responder("outage-401-a", Phone: "+15550304011", Rules: [Rule("sms")]));
        var id = await Trigger(_admin, service, "Token rotated");

        var health = await Eventually.Get(async () => await fixture.App.Client(key: null).GetAsync("/health/ready"),
            r => r.StatusCode == HttpStatusCode.OK && r.Content.ReadAsStringAsync().Result.Contains("20003"), "the refusal in /health/ready", Patience);
        Assert.Contains("Degraded", await health.Content.ReadAsStringAsync());
        await ProviderRequests.Until(() => Fakes.Twilio.Sms("+15550304011"), s => s.Count >= 8, "the SMS tried again and again", Patience);
        var notifications = (await _admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok()).AsArray();
        Assert.DoesNotContain(notifications, n => n!["attempt_log"]!.AsArray().Any(a => a!.Str("outcome") == "permanent"));

        Recover([refused]);
        await ProviderRequests.Until(() => Fakes.Twilio.Sms("+15550304011", acceptedOnly: true).Count, n => n >= 1, "the SMS sent with the new token", Patience);
        await Eventually.Get(async () => await (await fixture.App.Client(key: null).GetAsync("/health/ready")).Content.ReadAsStringAsync(),
            body => !body.Contains("20003"), "the refusal cleared", Patience);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(Fakes.Twilio.Sms("+15550304011", acceptedOnly: true));
    }

    private int[] AcceptedForA() =>
    [
        Fakes.SendGrid.Mails("outage-a@example.com", acceptedOnly: true).Count,
        Fakes.Slack.SlackPosts("UOUTAGEA", acceptedOnly: true).Count,
        Fakes.Twilio.Sms("+15550304001", acceptedOnly: true).Count,
    ];

    /// <summary>Every request the fake gets is answered with this status, until <see cref="Recover"/>.</summary>
    private static (WireMockServer Server, Guid Mapping) Down(WireMockServer server, int status, string body)
    {
        var mapping = Guid.NewGuid();
        server.Given(Request.Create().WithPath("/*")).WithGuid(mapping).AtPriority(0)
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));
        return (server, mapping);
    }

    private static void Recover(IEnumerable<(WireMockServer Server, Guid Mapping)> outage)
    {
        foreach (var (server, mapping) in outage) server.DeleteMapping(mapping);
    }
}
