using Escalation.Api.Events;
using Escalation.Silo.Notifications;

namespace Escalation.Tests.Telemetry;

/// <summary>The labels made of what providers and callers answered: few values, never their text.</summary>
public sealed class MetricLabelTests
{
    [Theory]
    [InlineData("twilio: HTTP 503 Service Unavailable", "503")]
    [InlineData("slack: chat.postMessage answered HTTP 429", "429")]
    [InlineData("discord: POST message answered HTTP 500: {\"message\":\"oops\"}", "500")]
    [InlineData("sendgrid: timeout waiting for mail/send", "timeout")]
    [InlineData("twilio: Messages unreachable (ConnectionError: Connection refused (api.twilio.com:443))", "unreachable")]
    [InlineData("slack: chat.postMessage failed (channel_not_found for +81 90 1234 5678)", "other")]
    [InlineData("refused", "refused")]
    public void A_provider_error_becomes_its_code(string error, string code) => Assert.Equal(code, ProviderErrorCode.Of(error));

    [Theory]
    [InlineData(202, "accepted", "accepted")]
    [InlineData(200, "ignored", "ignored")]
    [InlineData(400, "rejected", "invalid")]
    [InlineData(401, "rejected", "unauthorized")]
    [InlineData(413, "rejected", "too_large")]
    [InlineData(429, "rejected", "throttled")]
    [InlineData(503, "rejected", "unavailable")]
    [InlineData(500, "rejected", "error")]
    public void An_alert_request_is_counted_by_what_it_was_answered(int status, string outcome, string reason) =>
        Assert.Equal((outcome, reason), IntakeMetering.Outcome(status));
}

public sealed class UrlRedactionTests
{
    [Fact]
    public void An_outgoing_call_s_url_keeps_only_its_host_so_that_a_webhook_token_in_its_path_is_not_exported()
    {
        using var activity = new System.Diagnostics.Activity("POST");
        activity.SetTag("url.full", "https://discord.com/api/webhooks/123456/s3cr3t-token?wait=true");

        new Escalation.Silo.Telemetry.UrlRedaction().OnEnd(activity);

        Assert.Equal("https://discord.com/", activity.GetTagItem("url.full"));
    }
}
