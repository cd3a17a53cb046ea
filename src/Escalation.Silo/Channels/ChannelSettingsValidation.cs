using System.Net.Mail;
using Escalation.Silo.Channels.Email;
using Escalation.Silo.Channels.Slack;
using Escalation.Silo.Channels.Sms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Silo.Channels;

/// <summary>
/// Settings a mistake in which would otherwise surface only at the first page, or as links and webhook signatures
/// that never work: checked when the service starts, which then refuses to run and names the setting.
/// </summary>
public static class ChannelSettingsValidation
{
    /// <summary>The raw settings that have no options class of their own.</summary>
    public sealed class PublicSettings
    {
        public string? PublicBaseUrl { get; set; }
        public string? LinkSigningKey { get; set; }
    }

    public static void AddChannelSettingsValidation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SlackOptions>()
            .Validate(o => IsHttpUrl(o.ApiBaseUrl) && IsHttpUrl(o.ResponseUrlBase),
                $"{SlackOptions.Section}:ApiBaseUrl and :ResponseUrlBase must be absolute http(s) URLs.")
            .ValidateOnStart();
        services.AddOptions<TwilioOptions>()
            .Validate(o => IsHttpUrl(o.ApiBaseUrl), $"{TwilioOptions.Section}:ApiBaseUrl must be an absolute http(s) URL.")
            .ValidateOnStart();
        services.AddOptions<SendGridOptions>()
            .Validate(o => IsHttpUrl(o.ApiBaseUrl), $"{SendGridOptions.Section}:ApiBaseUrl must be an absolute http(s) URL.")
            .Validate(o => string.IsNullOrWhiteSpace(o.FromEmail) || MailAddress.TryCreate(o.FromEmail, out _),
                $"{SendGridOptions.Section}:FromEmail must be an email address.")
            .ValidateOnStart();
        services.AddOptions<PublicSettings>()
            .Configure(s =>
            {
                s.PublicBaseUrl = configuration[PublicUrls.Setting];
                s.LinkSigningKey = configuration[ActionLinkKeys.Setting];
            })
            .Validate(s => string.IsNullOrWhiteSpace(s.PublicBaseUrl) || IsHttpUrl(s.PublicBaseUrl),
                "Escalation:PublicBaseUrl must be an absolute http(s) URL such as https://oncall.example.com: links in pages and the webhook URLs Twilio signs are built from it.")
            .Validate(s => string.IsNullOrEmpty(s.LinkSigningKey) || ActionLinkKeys.Parse(s.LinkSigningKey) is not null,
                "Escalation:Links:SigningKey must be base64 of 32 bytes or more (e.g. openssl rand -base64 32).")
            .ValidateOnStart();
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
