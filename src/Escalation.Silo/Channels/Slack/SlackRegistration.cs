using Escalation.Notifications;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Silo.Channels.Slack;

public static class SlackRegistration
{
    /// <summary>The Slack channel, its client and its settings, checked when the service starts.</summary>
    public static IServiceCollection AddSlack(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SlackOptions>()
            .Bind(configuration.GetSection(SlackOptions.Section))
            .Validate(o => ChannelSettingsValidation.IsHttpUrl(o.ApiBaseUrl) && ChannelSettingsValidation.IsHttpUrl(o.ResponseUrlBase),
                $"{SlackOptions.Section}:ApiBaseUrl and :ResponseUrlBase must be absolute http(s) URLs.")
            .ValidateOnStart();
        services.AddHttpClient<SlackClient>().AddProviderTimeout("slack");
        services.AddTransient<SlackChannel>();
        return services;
    }

    /// <summary>The consumer of the Slack queue.</summary>
    public static void AddSlackConsumer(this IBusRegistrationConfigurator bus) =>
        // Slack updates wait (a timer) while the incident's earlier messages are still going out.
        bus.AddChannelConsumer<SlackChannel>(ChannelNames.Slack, concurrentMessages: 256);
}
