using System.Text.Json.Nodes;
using Escalation.Silo.Channels;
using Escalation.Silo.Channels.Discord;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Request = WireMock.RequestBuilders.Request;

namespace Escalation.Tests.Channels.Discord;

/// <summary>The incoming webhook calls, against a stand-in for discord.com that checks what Discord documents.</summary>
public sealed class DiscordClientTests : IDisposable
{
    private const string WebhookPath = "/api/webhooks/223704706495545344/3d89bb7572e0fb30d8128367b3b1b44fecd1726de135cbe28a41f8b2f777c372ba2939e72279b94526ff5d1bd4358d65cf11";
    private readonly WireMockServer _discord = WireMockServer.Start();
    private readonly DiscordClient _client = new(new HttpClient { Timeout = TimeSpan.FromSeconds(10) });

    private Uri Webhook => new(_discord.Url + WebhookPath);

    public void Dispose() => _discord.Dispose();

    private static JsonObject Message() => new()
    {
        ["embeds"] = new JsonArray(new JsonObject { ["title"] = "[P4] Disk at 80%" }),
        ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() },
    };

    private void Answer(string method, int status, string body, params (string Name, string Value)[] headers)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        foreach (var (name, value) in headers) response = response.WithHeader(name, value);
        _discord.Given(Request.Create().WithPath(WebhookPath + "*").UsingMethod(method)).RespondWith(response);
    }

    [Fact]
    public async Task Executing_the_webhook_posts_the_message_with_wait_true_and_comes_back_with_its_id()
    {
        Answer("POST", 200, """{"id":"1234567890123456789","type":0,"content":"","embeds":[]}""");

        var outcome = await _client.Execute(Webhook, Message(), default);

        Assert.Equal(new DeliveryOutcome.Delivered("1234567890123456789"), outcome);
        var request = Assert.Single(_discord.LogEntries).RequestMessage!;
        Assert.Equal("POST", request.Method);
        Assert.Equal(WebhookPath, request.Path);
        Assert.Equal("true", request.Query!["wait"].Single());
        Assert.Single(request.Query);
        Assert.Equal("application/json; charset=utf-8", request.Headers!["Content-Type"].Single());
        Assert.Equal(Message().ToJsonString(), JsonNode.Parse(request.Body!)!.ToJsonString());
    }

    [Fact]
    public async Task Editing_patches_the_message_by_its_id_and_keeps_the_thread_the_webhook_names()
    {
        Answer("PATCH", 200, """{"id":"1234567890123456789"}""");

        var outcome = await _client.Edit(new Uri(Webhook + "?thread_id=998877"), "1234567890123456789", Message(), default);

        Assert.Equal(new DeliveryOutcome.Delivered("1234567890123456789"), outcome);
        var request = Assert.Single(_discord.LogEntries).RequestMessage!;
        Assert.Equal("PATCH", request.Method);
        Assert.Equal(WebhookPath + "/messages/1234567890123456789", request.Path);
        Assert.Equal("998877", request.Query!["thread_id"].Single());
        Assert.False(request.Query.ContainsKey("wait"));
        Assert.Equal(Message().ToJsonString(), JsonNode.Parse(request.Body!)!.ToJsonString());
    }

    [Fact]
    public void A_thread_on_the_webhook_is_kept_when_wait_is_added()
    {
        var url = DiscordWebhook.Execute(new Uri("https://discord.com/api/webhooks/1/abc?thread_id=5"));
        Assert.Equal("https://discord.com/api/webhooks/1/abc?thread_id=5&wait=true", url.AbsoluteUri);
    }

    [Fact]
    public async Task A_rate_limit_is_retried_after_the_wait_Discord_asks_for()
    {
        Answer("POST", 429, """{"message":"You are being rate limited.","retry_after":0.64,"global":false}""", ("Retry-After", "2"));

        var outcome = Assert.IsType<DeliveryOutcome.Transient>(await _client.Execute(Webhook, Message(), default));

        Assert.Equal(TimeSpan.FromSeconds(2), outcome.RetryAfter);
        Assert.False(outcome.Refused);
    }

    [Fact]
    public async Task Without_a_Retry_After_header_the_body_s_retry_after_is_the_wait()
    {
        Answer("PATCH", 429, """{"message":"You are being rate limited.","retry_after":0.64,"global":false}""");

        var outcome = Assert.IsType<DeliveryOutcome.Transient>(await _client.Edit(Webhook, "1", Message(), default));

        Assert.Equal(TimeSpan.FromSeconds(0.64), outcome.RetryAfter);
    }

    [Fact]
    public async Task A_server_error_is_worth_another_attempt()
    {
        Answer("POST", 503, """{"message":"upstream connect error"}""");

        var outcome = Assert.IsType<DeliveryOutcome.Transient>(await _client.Execute(Webhook, Message(), default));

        Assert.Equal("discord: execute webhook answered HTTP 503: upstream connect error", outcome.Error);
    }

    [Fact]
    public async Task An_edit_of_a_message_that_was_deleted_carries_on()
    {
        Answer("PATCH", 404, """{"message":"Unknown Message","code":10008}""");

        Assert.Equal(new DeliveryOutcome.Delivered(null), await _client.Edit(Webhook, "1", Message(), default));
    }

    [Fact]
    public async Task A_webhook_that_was_deleted_is_refused_for_an_operator_to_fix_and_its_token_is_not_told()
    {
        Answer("POST", 404, """{"message":"Unknown Webhook","code":10015}""");

        var outcome = Assert.IsType<DeliveryOutcome.Transient>(await _client.Execute(Webhook, Message(), default));

        Assert.True(outcome.Refused);
        Assert.Equal("discord: execute webhook answered HTTP 404: 10015 Unknown Webhook", outcome.Error);
    }

    [Fact]
    public async Task A_refused_embed_is_permanent()
    {
        Answer("POST", 400, """{"message":"Invalid Form Body","code":50035}""");

        var outcome = Assert.IsType<DeliveryOutcome.Permanent>(await _client.Execute(Webhook, Message(), default));

        Assert.Equal("discord: execute webhook answered HTTP 400: 50035 Invalid Form Body", outcome.Error);
    }

    [Fact]
    public async Task An_unreachable_webhook_is_transient_and_the_error_does_not_hold_the_url()
    {
        var closed = new Uri("http://127.0.0.1:1" + WebhookPath);

        var outcome = Assert.IsType<DeliveryOutcome.Transient>(await _client.Execute(closed, Message(), default));

        Assert.DoesNotContain("3d89bb", outcome.Error);
    }
}
