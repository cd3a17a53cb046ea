using System.Net;
using System.Text.Json.Nodes;
using Escalation.Silo.Channels;
using Escalation.Silo.Channels.Slack;
using Microsoft.Extensions.Options;

namespace Escalation.Tests.Channels.Slack;

public sealed class SlackClientTests : IDisposable
{
    private const string PostMessagePath = "/api/chat.postMessage";
    private const string UpdatePath = "/api/chat.update";
    private readonly SlackStub _slack = new();

    public void Dispose() => _slack.Dispose();

    [Fact]
    public async Task A_post_is_the_request_Slack_documents_and_comes_back_as_channel_slash_ts()
    {
        _slack.Answer(PostMessagePath, 200, """{"ok":true,"channel":"D024BE91L","ts":"1503435956.000247","message":{"text":"x"}}""");
        var page = SlackIncidentMessages.Page(Incidents.Triggered(), "en");

        var outcome = await _slack.Client().PostMessage(new SlackPost("U012AB3CD", page.Text, page.Blocks, ThreadTs: "1503435900.000100"), default);

        Assert.Equal(new DeliveryOutcome.Delivered("D024BE91L/1503435956.000247"), outcome);
        var request = Assert.Single(await _slack.Received(1));
        Assert.Equal(PostMessagePath, request.Path);
        Assert.Equal("POST", request.Method);
        Assert.Equal("Bearer xoxb-test", SlackStub.Header(request, "Authorization"));
        Assert.Equal("application/json; charset=utf-8", SlackStub.Header(request, "Content-Type"));

        var body = SlackStub.Body(request);
        Assert.Equal("U012AB3CD", (string?)body["channel"]);
        Assert.Equal(page.Text, (string?)body["text"]);
        Assert.Equal("1503435900.000100", (string?)body["thread_ts"]);
        Assert.False((bool)body["unfurl_links"]!);

        var blocks = body["blocks"]!.AsArray();
        Assert.Equal(["section", "actions"], blocks.Select(b => (string?)b!["type"]));
        Assert.Equal("mrkdwn", (string?)blocks[0]!["text"]!["type"]);
        var buttons = blocks[1]!["elements"]!.AsArray();
        Assert.Equal(["button", "button"], buttons.Select(b => (string?)b!["type"]));
        Assert.Equal(["incident.acknowledge", "incident.resolve"], buttons.Select(b => (string?)b!["action_id"]));
        Assert.Equal(["inc-42", "inc-42"], buttons.Select(b => (string?)b!["value"]));
        Assert.Equal(["primary", "danger"], buttons.Select(b => (string?)b!["style"]));
        Assert.Equal(["Acknowledge", "Resolve"], buttons.Select(b => (string?)b!["text"]!["text"]));
        Assert.Equal("plain_text", (string?)buttons[0]!["text"]!["type"]);
    }

    [Fact]
    public async Task A_post_without_blocks_or_thread_leaves_those_fields_out()
    {
        _slack.Answer(PostMessagePath, 200, """{"ok":true,"channel":"C1","ts":"1.2"}""");

        await _slack.Client().PostMessage(new SlackPost("C1", "hello", null), default);

        var body = SlackStub.Body(Assert.Single(await _slack.Received(1)));
        Assert.Equal(["channel", "text", "unfurl_links"], body.Select(p => p.Key));
    }

    [Fact]
    public async Task The_same_post_can_be_sent_twice()
    {
        _slack.Answer(PostMessagePath, 200, """{"ok":true,"channel":"C1","ts":"1.2"}""");
        var post = new SlackPost("C1", "hello", new JsonArray(new JsonObject { ["type"] = "divider" }));
        var client = _slack.Client();

        await client.PostMessage(post, default);
        var again = await client.PostMessage(post, default);

        Assert.IsType<DeliveryOutcome.Delivered>(again);
    }

    [Fact]
    public async Task An_update_names_the_message_and_replaces_its_blocks()
    {
        _slack.Answer(UpdatePath, 200, """{"ok":true,"channel":"C0123456789","ts":"1503435956.000247","text":"x"}""");
        var resolved = SlackIncidentMessages.Page(Incidents.Resolved(), "en");

        var outcome = await _slack.Client().UpdateMessage("C0123456789", "1503435956.000247", resolved.Text, resolved.Blocks, default);

        Assert.Equal(new DeliveryOutcome.Delivered("C0123456789/1503435956.000247"), outcome);
        var request = Assert.Single(await _slack.Received(1));
        Assert.Equal(UpdatePath, request.Path);
        Assert.Equal("POST", request.Method);
        Assert.Equal("Bearer xoxb-test", SlackStub.Header(request, "Authorization"));
        Assert.Equal("application/json; charset=utf-8", SlackStub.Header(request, "Content-Type"));
        var body = SlackStub.Body(request);
        Assert.Equal("C0123456789", (string?)body["channel"]);
        Assert.Equal("1503435956.000247", (string?)body["ts"]);
        Assert.Equal(resolved.Text, (string?)body["text"]);
        Assert.Equal(["section", "context"], body["blocks"]!.AsArray().Select(b => (string?)b!["type"]));
    }

    [Theory]
    [InlineData("channel_not_found")]
    [InlineData("not_in_channel")]
    [InlineData("is_archived")]
    public async Task An_error_that_would_repeat_is_permanent(string error)
    {
        _slack.Answer(PostMessagePath, 200, $$"""{"ok":false,"error":"{{error}}"}""");

        var outcome = await _slack.Client().PostMessage(new SlackPost("C404", "hi", null), default);

        Assert.Equal(new DeliveryOutcome.Permanent($"slack: {error}"), outcome);
    }

    [Theory]
    [InlineData("ratelimited")]
    [InlineData("internal_error")]
    [InlineData("service_unavailable")]
    public async Task An_error_on_Slack_s_side_is_worth_another_attempt(string error)
    {
        _slack.Answer(PostMessagePath, 200, $$"""{"ok":false,"error":"{{error}}"}""");

        var outcome = await _slack.Client().PostMessage(new SlackPost("C1", "hi", null), default);

        Assert.Equal(new DeliveryOutcome.Transient($"slack: {error}"), outcome);
    }

    [Fact]
    public async Task Http_429_is_transient_with_Slack_s_retry_after()
    {
        _slack.Answer(PostMessagePath, 429, """{"ok":false,"error":"ratelimited"}""", headers: ("Retry-After", "30"));

        var outcome = await _slack.Client().PostMessage(new SlackPost("C1", "hi", null), default);

        var transient = Assert.IsType<DeliveryOutcome.Transient>(outcome);
        Assert.Equal(TimeSpan.FromSeconds(30), transient.RetryAfter);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task A_server_error_is_transient(int status)
    {
        _slack.Answer(PostMessagePath, status, "oops");

        var outcome = await _slack.Client().PostMessage(new SlackPost("C1", "hi", null), default);

        var transient = Assert.IsType<DeliveryOutcome.Transient>(outcome);
        Assert.Null(transient.RetryAfter);
    }

    [Theory]
    [InlineData("invalid_auth")]
    [InlineData("token_revoked")]
    [InlineData("missing_scope")]
    public async Task A_refused_token_is_the_service_s_own_failure_and_retried(string error)
    {
        _slack.Answer(PostMessagePath, 200, $$"""{"ok":false,"error":"{{error}}"}""");

        var outcome = await _slack.Client().PostMessage(new SlackPost("C404", "hi", null), default);

        Assert.Equal(DeliveryOutcome.Transient.RefusedBy($"slack: {error}"), outcome);
    }

    [Theory]
    [InlineData(401, true)]
    [InlineData(403, true)]
    [InlineData(400, false)]
    [InlineData(410, false)]
    public async Task A_client_error_is_refused_when_it_is_about_the_token_and_else_permanent(int status, bool refused)
    {
        _slack.Answer(PostMessagePath, status, "no");

        var outcome = await _slack.Client().PostMessage(new SlackPost("C1", "hi", null), default);

        Assert.Equal(refused, outcome is DeliveryOutcome.Transient { Refused: true });
        Assert.Equal(!refused, outcome is DeliveryOutcome.Permanent);
    }

    [Fact]
    public async Task A_200_that_is_not_Slack_s_json_is_transient()
    {
        _slack.Answer(PostMessagePath, 200, "<html>maintenance</html>");

        Assert.IsType<DeliveryOutcome.Transient>(await _slack.Client().PostMessage(new SlackPost("C1", "hi", null), default));
    }

    [Fact]
    public async Task An_answer_slower_than_the_client_timeout_is_a_transient_timeout()
    {
        _slack.Answer(PostMessagePath, 200, """{"ok":true,"channel":"C1","ts":"1.2"}""", delay: TimeSpan.FromSeconds(3));

        var outcome = await _slack.Client(timeout: TimeSpan.FromMilliseconds(200)).PostMessage(new SlackPost("C1", "hi", null), default);

        var transient = Assert.IsType<DeliveryOutcome.Transient>(outcome);
        Assert.Contains("timeout", transient.Error);
    }

    [Fact]
    public async Task The_caller_s_own_cancellation_is_not_swallowed()
    {
        _slack.Answer(PostMessagePath, 200, """{"ok":true,"channel":"C1","ts":"1.2"}""", delay: TimeSpan.FromSeconds(3));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _slack.Client().PostMessage(new SlackPost("C1", "hi", null), cancel.Token));
    }

    [Fact]
    public async Task Slack_out_of_reach_is_transient()
    {
        var settings = _slack.Settings;
        _slack.Server.Stop();

        var outcome = await _slack.Client(options: settings).PostMessage(new SlackPost("C1", "hi", null), default);

        Assert.IsType<DeliveryOutcome.Transient>(outcome);
    }

    [Fact]
    public async Task Without_a_bot_token_nothing_is_sent()
    {
        var settings = _slack.Settings;
        settings.BotToken = " ";

        var outcome = await _slack.Client(options: settings).PostMessage(new SlackPost("C1", "hi", null), default);

        Assert.IsType<DeliveryOutcome.Permanent>(outcome);
        Assert.Empty(_slack.Server.LogEntries);
    }

    [Fact]
    public async Task An_ephemeral_reply_goes_to_the_response_url_without_credentials()
    {
        _slack.Answer("/actions/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN", 200, "ok");
        var responseUrl = new Uri(_slack.Url + "/actions/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN");

        var sent = await _slack.Client().RespondEphemeral(responseUrl, "You acknowledged inc-42.", default);

        Assert.True(sent);
        var request = Assert.Single(await _slack.Received(1));
        Assert.Equal("POST", request.Method);
        Assert.Null(SlackStub.Header(request, "Authorization"));
        Assert.Equal("application/json; charset=utf-8", SlackStub.Header(request, "Content-Type"));
        Assert.Equal(
            """{"response_type":"ephemeral","replace_original":false,"text":"You acknowledged inc-42."}""",
            request.Body);
    }

    [Fact]
    public async Task An_ephemeral_reply_Slack_refuses_is_false()
    {
        _slack.Answer("/actions/gone", 404, "expired_url");

        Assert.False(await _slack.Client().RespondEphemeral(new Uri(_slack.Url + "/actions/gone"), "hi", default));
    }

    [Theory]
    [InlineData("https://attacker.example/actions/x")]
    [InlineData("{base}/internal/admin")]
    [InlineData("http://{host}.attacker.example:{port}/actions/x")]
    [InlineData("http://user@{host}:{port}/actions/x")]
    [InlineData("https://{host}:{port}/actions/x")]
    public async Task A_response_url_outside_Slack_is_refused_without_a_request(string url)
    {
        var stub = new Uri(_slack.Url);
        var responseUrl = new Uri(url.Replace("{base}", _slack.Url).Replace("{host}", stub.Host).Replace("{port}", stub.Port.ToString()));

        Assert.False(await _slack.Client().RespondEphemeral(responseUrl, "hi", default));
        Assert.Empty(_slack.Server.LogEntries);
    }

    [Theory]
    [InlineData("https://hooks.slack.com.attacker.example/actions/x")]
    [InlineData("http://hooks.slack.com/actions/x")]
    [InlineData("https://hooks.slack.com@attacker.example/actions/x")]
    [InlineData("https://slack.com/api/chat.postMessage")]
    public async Task The_default_base_only_allows_hooks_slack_com(string url)
    {
        var client = new SlackClient(new HttpClient(new NoNetwork()), Options.Create(new SlackOptions { BotToken = "xoxb-test" }));

        Assert.False(await client.RespondEphemeral(new Uri(url), "hi", default));
    }

    private sealed class NoNetwork : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            throw new InvalidOperationException($"no request expected, got {request.RequestUri}");
    }
}
