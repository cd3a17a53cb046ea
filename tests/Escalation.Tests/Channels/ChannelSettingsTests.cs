using Escalation.Tests.Api;
using Microsoft.Extensions.Options;

namespace Escalation.Tests.Channels;

/// <summary>A setting that would only fail at the first page, or make every link and webhook fail, stops the start instead.</summary>
public sealed class ChannelSettingsTests
{
    [Theory]
    [InlineData("Escalation:PublicBaseUrl", "oncall.example.com", "Escalation:PublicBaseUrl must be an absolute http(s) URL")]
    [InlineData("Escalation:Links:SigningKey", "c2hvcnQ=", "Escalation:Links:SigningKey must be base64 of 32 bytes or more")]
    [InlineData("Escalation:Links:SigningKey", "not base64!", "Escalation:Links:SigningKey must be base64 of 32 bytes or more")]
    [InlineData("Escalation:Channels:Slack:ApiBaseUrl", "slack.com/api", "Escalation:Channels:Slack:ApiBaseUrl and :ResponseUrlBase must be absolute")]
    [InlineData("Escalation:Channels:Twilio:ApiBaseUrl", "ftp://api.twilio.com/", "Escalation:Channels:Twilio:ApiBaseUrl must be an absolute")]
    [InlineData("Escalation:Channels:SendGrid:FromEmail", "pager at example.com", "Escalation:Channels:SendGrid:FromEmail must be an email address")]
    [InlineData("Escalation:Delivery:MaxDatabaseConnections", "0", "Escalation:Delivery:MaxDatabaseConnections must be at least 1")]
    public async Task The_service_refuses_to_start_and_names_the_setting(string key, string value, string message)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => EscalationApp.StartAsync(settings: new Dictionary<string, string?> { [key] = value }));
        Assert.Contains(message, failure.Message);
    }

    [Fact]
    public async Task Good_settings_start()
    {
        await using var app = await EscalationApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Escalation:PublicBaseUrl"] = "https://oncall.example.com",
            ["Escalation:Links:SigningKey"] = Convert.ToBase64String(new byte[32]),
            ["Escalation:Channels:SendGrid:FromEmail"] = "Pager <pager@example.com>",
        });
        Assert.True((await app.Client().GetAsync("/health/ready")).IsSuccessStatusCode);
    }
}
