using Escalation.Notifications;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Channels.Discord;

public static class DiscordRegistration
{
    /// <summary>The Discord channel, its client and its webhooks, checked when the service starts.</summary>
    public static IServiceCollection AddDiscord(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DiscordOptions>().Bind(configuration.GetSection(DiscordOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DiscordOptions>, DiscordOptionsValidation>();
        // The request URL is the webhook's secret: the client factory's loggers, which write it, are taken away.
        services.AddHttpClient<DiscordClient>().RemoveAllLoggers().AddProviderTimeout("discord");
        services.AddTransient<DiscordChannel>();
        return services;
    }

    /// <summary>The consumer of the Discord queue.</summary>
    public static void AddDiscordConsumer(this IBusRegistrationConfigurator bus) =>
        // Updates wait (a timer) while the incident's post is still going out.
        bus.AddChannelConsumer<DiscordChannel>(ChannelNames.Discord, concurrentMessages: 128);
}
