using Escalation.Silo.Channels.Discord;
using Escalation.Silo.Channels.SendGrid;
using Escalation.Silo.Channels.Slack;
using Escalation.Silo.Channels.Twilio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Channels;

/// <summary>Which providers are configured, for the start-up report: a channel that is not must never be a silent drop.</summary>
public sealed record ChannelStatus(string Channel, bool Configured, string Settings)
{
    public static IReadOnlyList<ChannelStatus> All(IServiceProvider services) =>
    [
        new("Slack", services.GetRequiredService<IOptions<SlackOptions>>().Value.Configured,
            "Escalation:Channels:Slack:BotToken and :SigningSecret"),
        new("SMS (Twilio)", services.GetRequiredService<IOptions<TwilioOptions>>().Value.Configured,
            "Escalation:Channels:Twilio:AccountSid, :AuthToken and :FromNumber or :MessagingServiceSid"),
        new("Email (SendGrid)", services.GetRequiredService<IOptions<SendGridOptions>>().Value.Configured,
            "Escalation:Channels:SendGrid:ApiKey and :FromEmail"),
        new("Discord", services.GetRequiredService<IOptions<DiscordOptions>>().Value.Configured,
            "Escalation:Discord:Channels:{name}, one incoming webhook URL per channel"),
    ];

    public string Describe() => Configured
        ? $"{Channel}: configured"
        : $"{Channel}: NOT configured ({Settings}); its pages are written to the log channel instead";
}
