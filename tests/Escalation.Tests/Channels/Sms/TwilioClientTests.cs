using Escalation.Silo.Channels;
using Escalation.Silo.Channels.Twilio;
using Microsoft.Extensions.Options;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Request = WireMock.RequestBuilders.Request;

namespace Escalation.Tests.Channels.Sms;

/// <summary>What Twilio's Messages endpoint receives from us, and how its answers become delivery outcomes.</summary>
public sealed class TwilioClientTests : IDisposable
{
    private const string MessagesPath = "/2010-04-01/Accounts/AC123/Messages.json";
    private const string Sid = "SM0123456789abcdef0123456789abcdef";

    private readonly WireMockServer twilio = WireMockServer.Start();
    private readonly List<HttpClient> httpClients = [];

    public void Dispose()
    {
        httpClients.ForEach(http => http.Dispose());
        twilio.Stop();
        twilio.Dispose();
    }

    [Fact]
    public async Task Posts_the_message_form_with_basic_auth_and_returns_the_sid()
    {
        Answer(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
            .WithBody($$"""{"sid":"{{Sid}}","status":"queued","to":"+15551234567"}"""));

        var outcome = await Client().SendSms(
            "+15551234567", "[critical] Disk full & rising (db)", new Uri("https://escalation.example/sms/status?page=n1"), CancellationToken.None);

        Assert.Equal(new DeliveryOutcome.Delivered(Sid), outcome);
        var request = SingleRequest();
        Assert.Equal("POST", request.Method);
        Assert.Equal(MessagesPath, request.Path);
        Assert.Equal("Basic QUMxMjM6dG9rZW4=", Header(request, "Authorization"));
        Assert.Equal("application/x-www-form-urlencoded", Header(request, "Content-Type"));
        AssertForm(request,
            ("To", "+15551234567"),
            ("From", "+15005550006"),
            ("Body", "[critical] Disk full & rising (db)"),
            ("StatusCallback", "https://escalation.example/sms/status?page=n1"));
    }

    [Fact]
    public async Task A_messaging_service_replaces_the_from_number()
    {
        Answer(Response.Create().WithStatusCode(201).WithBody($$"""{"sid":"{{Sid}}"}"""));

        var outcome = await Client(o => o.MessagingServiceSid = "MG9752274e9e519418a7406176694466fa")
            .SendSms("+15551234567", "hello", statusCallback: null, CancellationToken.None);

        Assert.Equal(new DeliveryOutcome.Delivered(Sid), outcome);
        AssertForm(SingleRequest(),
            ("To", "+15551234567"),
            ("MessagingServiceSid", "MG9752274e9e519418a7406176694466fa"),
            ("Body", "hello"));
    }

    [Theory]
    [InlineData(21211, "The 'To' number 5551234567 is not a valid phone number.")]
    [InlineData(21610, "Attempt to send to unsubscribed recipient")]
    [InlineData(21614, "'To' number is not a valid mobile number")]
    public async Task A_400_is_permanent_and_names_twilios_error_code(int code, string message)
    {
        Answer(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json")
            .WithBody($$"""{"code":{{code}},"message":"{{message}}","more_info":"https://www.twilio.com/docs/errors/{{code}}","status":400}"""));

        var outcome = await Client().SendSms("+15551234567", "hello", null, CancellationToken.None);

        Assert.Equal(new DeliveryOutcome.Permanent($"twilio {code}: {message}"), outcome);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    public async Task Credential_and_account_errors_are_the_service_s_own_retried_and_never_show_the_token(int status)
    {
        Answer(Response.Create().WithStatusCode(status)
            .WithBody($$"""{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":{{status}}}"""));

        var outcome = await Client(o => o.AuthToken = "s3cr3t-token").SendSms("+15551234567", "hello", null, CancellationToken.None);

        var refused = Assert.IsType<DeliveryOutcome.Transient>(outcome);
        Assert.True(refused.Refused);
        Assert.Equal("twilio 20003: Authenticate", refused.Error);
        Assert.DoesNotContain("s3cr3t", refused.Error);
    }

    [Fact]
    public async Task A_429_is_transient_and_carries_retry_after()
    {
        Answer(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "7")
            .WithBody("""{"code":20429,"message":"Too Many Requests","more_info":"https://www.twilio.com/docs/errors/20429","status":429}"""));

        var outcome = await Client().SendSms("+15551234567", "hello", null, CancellationToken.None);

        Assert.Equal(new DeliveryOutcome.Transient("twilio 20429: Too Many Requests", TimeSpan.FromSeconds(7)), outcome);
    }

    [Fact]
    public async Task A_500_is_transient()
    {
        Answer(Response.Create().WithStatusCode(500).WithBody("<html>oops</html>"));

        var outcome = await Client().SendSms("+15551234567", "hello", null, CancellationToken.None);

        var transient = Assert.IsType<DeliveryOutcome.Transient>(outcome);
        Assert.StartsWith("twilio: HTTP 500", transient.Error);
        Assert.Null(transient.RetryAfter);
    }

    [Fact]
    public async Task An_answer_slower_than_the_http_timeout_is_transient()
    {
        Answer(Response.Create().WithStatusCode(201).WithBody($$"""{"sid":"{{Sid}}"}""").WithDelay(TimeSpan.FromSeconds(3)));

        var outcome = await Client(timeout: TimeSpan.FromMilliseconds(300)).SendSms("+15551234567", "hello", null, CancellationToken.None);

        var transient = Assert.IsType<DeliveryOutcome.Transient>(outcome);
        Assert.StartsWith("twilio: ", transient.Error);
    }

    [Fact]
    public async Task An_unreachable_twilio_is_transient()
    {
        var outcome = await Client(o => o.ApiBaseUrl = "http://127.0.0.1:1/").SendSms("+15551234567", "hello", null, CancellationToken.None);

        Assert.StartsWith("twilio: ", Assert.IsType<DeliveryOutcome.Transient>(outcome).Error);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_swallowed()
    {
        Answer(Response.Create().WithStatusCode(201).WithBody($$"""{"sid":"{{Sid}}"}""").WithDelay(TimeSpan.FromSeconds(3)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client().SendSms("+15551234567", "hello", null, cancel.Token));
    }

    [Fact]
    public async Task An_accepted_message_with_an_unreadable_body_is_still_delivered()
    {
        Answer(Response.Create().WithStatusCode(201).WithBody("not json"));

        var outcome = await Client().SendSms("+15551234567", "hello", null, CancellationToken.None);

        Assert.Equal(new DeliveryOutcome.Delivered(null), outcome);
    }

    [Fact]
    public async Task Without_credentials_nothing_is_sent()
    {
        var outcome = await Client(o => o.AuthToken = " ").SendSms("+15551234567", "hello", null, CancellationToken.None);

        Assert.IsType<DeliveryOutcome.Permanent>(outcome);
        Assert.Empty(twilio.LogEntries);
    }

    private TwilioClient Client(Action<TwilioOptions>? configure = null, TimeSpan? timeout = null)
    {
        var options = new TwilioOptions
        {
            ApiBaseUrl = twilio.Url + "/",
            AccountSid = "AC123",
            AuthToken = "token",
            FromNumber = "+15005550006",
        };
        configure?.Invoke(options);
        var http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        httpClients.Add(http);
        return new TwilioClient(http, Options.Create(options));
    }

    private void Answer(IResponseBuilder response) =>
        twilio.Given(Request.Create().WithPath(MessagesPath).UsingPost()).RespondWith(response);

    private IRequestMessage SingleRequest() => Assert.Single(twilio.LogEntries).RequestMessage!;

    private static string Header(IRequestMessage request, string name) =>
        Assert.Single(request.Headers!.Single(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value);

    private static void AssertForm(IRequestMessage request, params (string Name, string Value)[] expected) =>
        Assert.Equal(
            expected.Select(f => KeyValuePair.Create(f.Name, f.Value)).OrderBy(f => f.Key, StringComparer.Ordinal),
            FormBody.Parse(request.Body).OrderBy(f => f.Key, StringComparer.Ordinal));
}
