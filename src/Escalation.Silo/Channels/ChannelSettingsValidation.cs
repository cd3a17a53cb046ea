using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Silo.Channels;

/// <summary>
/// Settings a mistake in which would otherwise surface only at the first page, or as links and webhook signatures
/// that never work: checked when the service starts, which then refuses to run and names the setting. Each provider
/// checks its own beside its registration (<c>AddSlack</c>, <c>AddTwilio</c>, <c>AddSendGrid</c>); here are the
/// settings the channels share.
/// </summary>
public static class ChannelSettingsValidation
{
    /// <summary>The raw setting that has no options class of its own.</summary>
    public sealed class PublicSettings
    {
        public string? PublicBaseUrl { get; set; }
    }

    public static void AddSharedChannelSettingsValidation(this IServiceCollection services, IConfiguration configuration) =>
        services.AddOptions<PublicSettings>()
            .Configure(s => s.PublicBaseUrl = configuration[PublicUrls.Setting])
            .Validate(s => string.IsNullOrWhiteSpace(s.PublicBaseUrl) || IsHttpUrl(s.PublicBaseUrl),
                "Escalation:PublicBaseUrl must be an absolute http(s) URL such as https://oncall.example.com: links in pages and the webhook URLs Twilio signs are built from it.")
            .ValidateOnStart();

    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
