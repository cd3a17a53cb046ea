using System.Diagnostics;
using System.Text.Json;
using Escalation.Silo.Channels;
using Escalation.Silo.Channels.SendGrid;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Request = WireMock.RequestBuilders.Request;
using Response = WireMock.ResponseBuilders.Response;

namespace Escalation.Tests.Channels.Email;

/// <summary>The request SendGrid's v3 mail/send would receive, and how each of its answers is read.</summary>
public sealed class EmailSenderContractTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly EmailMessage Message = new("oncall@example.com", "[critical] Disk full (db)", "the text part", "<p>the html part</p>");

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        _http.Dispose();
        _server.Stop();
        _server.Dispose();
    }

    private EmailSender Sender(HttpClient? http = null, string? apiKey = "SG.test") =>
        new(http ?? _http, Options.Create(new SendGridOptions { ApiBaseUrl = _server.Url!, ApiKey = apiKey, FromEmail = "pager@example.com" }), _clock);

    private void SendGridAnswers(IResponseBuilder response) =>
        _server.Given(Request.Create().WithPath("/v3/mail/send").UsingPost()).RespondWith(response);

    private static IResponseBuilder Errors(int status, string message, string? field = null) =>
        Response.Create()
            .WithStatusCode(status)
            .WithHeader("Content-Type", "application/json")
            .WithBody(JsonSerializer.Serialize(new { errors = new[] { new { message, field }, new { message = "a second problem", field = (string?)null } } }));

    [Fact]
    public async Task The_request_is_a_v3_mail_send_with_both_parts_and_click_tracking_off()
    {
        SendGridAnswers(Response.Create().WithStatusCode(202));

        await Sender().Send(Message, CancellationToken.None);

        var request = Assert.Single(_server.LogEntries).RequestMessage!;
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v3/mail/send", request.Path);
        Assert.Equal("Bearer SG.test", Assert.Single(request.Headers!["Authorization"]));

        using var body = JsonDocument.Parse(request.Body!);
        var mail = body.RootElement;
        var personalization = Assert.Single(mail.GetProperty("personalizations").EnumerateArray());
        Assert.Equal("oncall@example.com", Assert.Single(personalization.GetProperty("to").EnumerateArray()).GetProperty("email").GetString());
        Assert.Equal("[critical] Disk full (db)", personalization.GetProperty("subject").GetString());
        Assert.Equal("pager@example.com", mail.GetProperty("from").GetProperty("email").GetString());
        Assert.Equal("Escalation", mail.GetProperty("from").GetProperty("name").GetString());
        var content = mail.GetProperty("content");
        Assert.Equal(2, content.GetArrayLength());
        Assert.Equal("text/plain", content[0].GetProperty("type").GetString());
        Assert.Equal("the text part", content[0].GetProperty("value").GetString());
        Assert.Equal("text/html", content[1].GetProperty("type").GetString());
        Assert.Equal("<p>the html part</p>", content[1].GetProperty("value").GetString());
        Assert.False(mail.GetProperty("tracking_settings").GetProperty("click_tracking").GetProperty("enable").GetBoolean());
    }

    [Fact]
    public async Task Accepted_mail_is_delivered_under_SendGrids_message_id()
    {
        SendGridAnswers(Response.Create().WithStatusCode(202).WithHeader("X-Message-Id", "Vx1mK2ZpQ3-abc"));

        var outcome = await Sender().Send(Message, CancellationToken.None);

        Assert.Equal(new DeliveryOutcome.Delivered("Vx1mK2ZpQ3-abc"), outcome);
    }

    [Fact]
    public async Task A_bad_request_is_permanent_and_says_what_SendGrid_objected_to()
    {
        SendGridAnswers(Errors(400, "The from address does not match a verified Sender Identity.", "from"));

        var outcome = await Sender().Send(Message, CancellationToken.None);

        Assert.Equal(new DeliveryOutcome.Permanent("sendgrid 400: The from address does not match a verified Sender Identity."), outcome);
    }

    [Fact]
    public async Task A_rejected_api_key_is_the_service_s_own_failure_and_retried()
    {
        SendGridAnswers(Errors(401, "The provided authorization grant is invalid, expired, or revoked"));

        var outcome = await Sender().Send(Message, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Transient.RefusedBy("sendgrid 401: The provided authorization grant is invalid, expired, or revoked"), outcome);
    }

    [Fact]
    public async Task Rate_limiting_is_transient_and_waits_until_the_limit_resets()
    {
        SendGridAnswers(Errors(429, "too many requests").WithHeader("X-RateLimit-Reset", Now.AddSeconds(30).ToUnixTimeSeconds().ToString()));

        var outcome = await Sender().Send(Message, CancellationToken.None);

        Assert.Equal(new DeliveryOutcome.Transient("sendgrid 429: too many requests", TimeSpan.FromSeconds(30)), outcome);
    }

    [Fact]
    public async Task Rate_limiting_without_a_reset_time_is_transient_without_a_hint()
    {
        SendGridAnswers(Response.Create().WithStatusCode(429));

        var outcome = await Sender().Send(Message, CancellationToken.None);

        var transient = Assert.IsType<DeliveryOutcome.Transient>(outcome);
        Assert.Null(transient.RetryAfter);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task A_server_error_is_transient(int status)
    {
        SendGridAnswers(Response.Create().WithStatusCode(status).WithBody("upstream trouble"));

        var outcome = await Sender().Send(Message, CancellationToken.None);

        Assert.Equal(new DeliveryOutcome.Transient($"sendgrid {status}: upstream trouble"), outcome);
    }

    [Fact]
    public async Task An_answer_slower_than_the_timeout_is_transient_and_does_not_keep_the_caller_waiting()
    {
        SendGridAnswers(Response.Create().WithStatusCode(202).WithDelay(TimeSpan.FromSeconds(5)));
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };
        var watch = Stopwatch.StartNew();

        var outcome = await Sender(impatient).Send(Message, CancellationToken.None);

        Assert.IsType<DeliveryOutcome.Transient>(outcome);
        Assert.StartsWith("sendgrid: ", ((DeliveryOutcome.Transient)outcome).Error);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task An_unreachable_SendGrid_is_transient()
    {
        var url = _server.Url!;
        _server.Stop();
        var sender = new EmailSender(_http, Options.Create(new SendGridOptions { ApiBaseUrl = url, ApiKey = "SG.test", FromEmail = "pager@example.com" }), _clock);

        var outcome = await sender.Send(Message, CancellationToken.None);

        Assert.StartsWith("sendgrid: ", Assert.IsType<DeliveryOutcome.Transient>(outcome).Error);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_mistaken_for_a_timeout()
    {
        SendGridAnswers(Response.Create().WithStatusCode(202).WithDelay(TimeSpan.FromSeconds(3)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sender().Send(Message, cancel.Token));
    }

    [Fact]
    public async Task Without_an_api_key_nothing_is_sent_and_the_failure_is_permanent()
    {
        var outcome = await Sender(apiKey: " ").Send(Message, CancellationToken.None);

        Assert.IsType<DeliveryOutcome.Permanent>(outcome);
        Assert.Empty(_server.LogEntries);
    }
}
