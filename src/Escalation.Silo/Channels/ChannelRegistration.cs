using Escalation.Silo.Channels.Email;
using Escalation.Silo.Channels.Log;
using Escalation.Silo.Channels.Slack;
using Escalation.Silo.Channels.Sms;
using Escalation.Silo.Notifications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Escalation.Silo.Channels;

public static class ChannelRegistration
{
    /// <summary>
    /// The channels and their provider clients. Each client is a typed HttpClient from IHttpClientFactory with a
    /// resilience timeout per call; retries are the delivery pipeline's, which records each attempt.
    /// </summary>
    public static IServiceCollection AddEscalationChannels(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SlackOptions>(configuration.GetSection(SlackOptions.Section));
        services.Configure<TwilioOptions>(configuration.GetSection(TwilioOptions.Section));
        services.Configure<SendGridOptions>(configuration.GetSection(SendGridOptions.Section));
        services.AddChannelSettingsValidation(configuration);

        services.AddHttpClient<SlackClient>().AddResilienceHandler("slack", ProviderTimeout);
        services.AddHttpClient<TwilioClient>().AddResilienceHandler("twilio", ProviderTimeout);
        services.AddHttpClient<EmailSender>().AddResilienceHandler("sendgrid", ProviderTimeout);

        services.AddSingleton<PublicUrls>();
        services.AddSingleton<LogChannel>();
        services.AddTransient<SlackChannel>();
        services.AddTransient<SmsChannel>();
        services.AddTransient<EmailChannel>();
        services.AddSingleton<SmsReplyCodes>();
        services.AddSingleton<SmsOptOuts>();
        services.AddSingleton<SmsBundles>();
        services.AddSingleton<ActionLinkKeys>();
        services.AddSingleton<WebhookReplays>();
        return services;
    }

    private static void ProviderTimeout(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context) =>
        pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<DeliveryOptions>>().Value.ProviderTimeout);
}
