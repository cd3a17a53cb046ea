using Escalation.Testing;
using Escalation.Tests.Api;
using RabbitMQ.Client;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using Request = WireMock.RequestBuilders.Request;
using WireMock.ResponseBuilders;
using static Escalation.Tests.Channels.ChannelSetup;

namespace Escalation.Tests.Channels;

/// <summary>
/// The same pages over a real RabbitMQ broker (on localhost:5672, which .ci/run installs and starts): delivered through
/// the channel queues, and a page that fails for good is dead-lettered in its queue's _error queue.
/// </summary>
public sealed class RabbitMqTransportTests(RabbitMqTransportTests.OverRabbitMq fixture) : IClassFixture<RabbitMqTransportTests.OverRabbitMq>
{
    public sealed class OverRabbitMq() : ChannelsFixture(new Dictionary<string, string?>
    {
        ["Escalation:Bus:Transport"] = "rabbitmq",
        ["Escalation:Bus:RabbitMq:Host"] = "localhost",
    });

    private readonly ProviderFakes _fakes = fixture.Fakes;
    private readonly EscalationApp _app = fixture.App;

    [Fact]
    public async Task Pages_travel_through_RabbitMQ_and_a_permanent_failure_is_dead_lettered()
    {
        const string phone = "+15550303001";
        _fakes.Twilio.Given(Request.Create().WithPath($"/2010-04-01/Accounts/{ProviderFakes.TwilioAccountSid}/Messages.json").UsingPost()
                .WithBody(new WildcardMatcher("*To=%2B15550303001*"))).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json")
                .WithBody("""{"code":21211,"message":"Invalid 'To' Phone Number","status":400}"""));
        var before = await MessagesIn("notifications-sms_error");

        var admin = _app.Client();
        var service = await Configure(admin, "rabbit", "PT15M",
            new Responder("rabbit-u", SlackUserId: "URABBIT", Phone: phone, Rules: [Rule("slack"), Rule("sms")]));
        var id = await Trigger(admin, service, "Over the broker");

        await ProviderRequests.Until(() => _fakes.Slack.SlackPosts("URABBIT"), p => p.Count == 1, "the Slack page over RabbitMQ");
        await Eventually.Get(() => MessagesIn("notifications-sms_error"), n => n > before, "the failed SMS page in the error queue");
        var log = await Eventually.Get(() => admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok(),
            n => n.AsArray().Any(x => x!.Str("channel") == "sms" && x!.Str("status") == "failed"), "the failure recorded");
        Assert.Contains("21211", log.AsArray().Single(x => x!.Str("channel") == "sms")!.Str("error"));
    }

    private static async Task<uint> MessagesIn(string queue)
    {
        var factory = new ConnectionFactory { HostName = "localhost" };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0; // not declared yet: nothing has failed there
        }
    }
}
