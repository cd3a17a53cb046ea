using System.Net.Mail;
using Escalation.Notifications;
using Escalation.Storage.Secrets;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Silo.Channels.SendGrid;

public static class SendGridRegistration
{
    /// <summary>
    /// The email channel on SendGrid, its client and the key that signs its action links, and their settings, checked
    /// when the service starts.
    /// </summary>
    public static IServiceCollection AddSendGrid(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SendGridOptions>()
            .Bind(configuration.GetSection(SendGridOptions.Section))
            .Validate(o => ChannelSettingsValidation.IsHttpUrl(o.ApiBaseUrl), $"{SendGridOptions.Section}:ApiBaseUrl must be an absolute http(s) URL.")
            .Validate(o => string.IsNullOrWhiteSpace(o.FromEmail) || MailAddress.TryCreate(o.FromEmail, out _),
                $"{SendGridOptions.Section}:FromEmail must be an email address.")
            .ValidateOnStart();
        services.AddOptions<LinkSettings>()
            .Configure(s => s.SigningKey = configuration[ActionLinkKeys.Setting])
            .Validate(s => string.IsNullOrEmpty(s.SigningKey) || ActionLinkKeys.Parse(s.SigningKey) is not null,
                $"{ActionLinkKeys.Setting} must be base64 of 32 bytes or more (e.g. openssl rand -base64 32).")
            .ValidateOnStart();
        services.AddHttpClient<EmailSender>().AddProviderTimeout("sendgrid");
        services.AddTransient<EmailChannel>();
        services.AddSingleton<ServiceSecrets>();
        services.AddSingleton<ActionLinkKeys>();
        return services;
    }

    /// <summary>
    /// The consumer of the email queue. SendGrid's mail send takes many requests at once, and each page here spends
    /// most of its time waiting for the ledger's shared commits: 64 in flight held a storm's pages back by seconds.
    /// </summary>
    public static void AddSendGridConsumer(this IBusRegistrationConfigurator bus) =>
        bus.AddChannelConsumer<EmailChannel>(ChannelNames.Email, concurrentMessages: 256);

    /// <summary>The link setting, which has no options class of its own (<see cref="ActionLinkKeys"/> reads it).</summary>
    private sealed class LinkSettings
    {
        public string? SigningKey { get; set; }
    }
}
