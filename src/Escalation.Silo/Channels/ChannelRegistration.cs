using Escalation.Silo.Channels.Discord;
using Escalation.Silo.Channels.SendGrid;
using Escalation.Silo.Channels.Log;
using Escalation.Silo.Channels.Slack;
using Escalation.Silo.Channels.Twilio;
using Escalation.Silo.Notifications;
using Escalation.Storage.Webhooks;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Escalation.Silo.Channels;

/// <summary>The channels, each registered by its provider's <c>Add…</c> beside its options, and what they share.</summary>
public static class ChannelRegistration
{
    public static IServiceCollection AddEscalationChannels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSharedChannelSettingsValidation(configuration);
        services.AddSingleton<PublicUrls>();
        services.AddSingleton<WebhookReplays>();
        return services
            .AddLogChannel()
            .AddSlack(configuration)
            .AddTwilio(configuration)
            .AddSendGrid(configuration)
            .AddDiscord(configuration);
    }

    /// <summary>One consumer per channel queue, each with its provider's concurrency.</summary>
    public static void AddEscalationChannelConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddLogChannelConsumer();
        bus.AddSlackConsumer();
        bus.AddTwilioConsumer();
        bus.AddSendGridConsumer();
        bus.AddDiscordConsumer();
    }

    /// <summary>
    /// Consumes <paramref name="channel"/>'s queue. Waits between attempts hold a slot: a slow provider must not starve
    /// its other pages, hence a limit per queue.
    /// </summary>
    internal static void AddChannelConsumer<TChannel>(this IBusRegistrationConfigurator bus, string channel, int concurrentMessages = 64)
        where TChannel : INotificationChannel =>
        bus.AddConsumer<ChannelConsumer<TChannel>>().Endpoint(e =>
        {
            e.Name = ChannelQueues.Name(channel);
            e.ConcurrentMessageLimit = concurrentMessages;
        });

    /// <summary>
    /// A provider's client is a typed HttpClient from IHttpClientFactory with a resilience timeout per call; retries
    /// are the delivery pipeline's, which records each attempt.
    /// </summary>
    internal static IHttpClientBuilder AddProviderTimeout(this IHttpClientBuilder client, string provider)
    {
        client.AddResilienceHandler(provider, ProviderTimeout);
        return client;
    }

    private static void ProviderTimeout(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context) =>
        pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<DeliveryOptions>>().Value.ProviderTimeout);
}
