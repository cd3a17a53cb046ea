using Escalation.Notifications;
using Escalation.Storage.Sms;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Silo.Channels.Twilio;

public static class TwilioRegistration
{
    /// <summary>The SMS channel on Twilio, its client, the reply codes, opt-outs and bundles, and its settings, checked when the service starts.</summary>
    public static IServiceCollection AddTwilio(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TwilioOptions>()
            .Bind(configuration.GetSection(TwilioOptions.Section))
            .Validate(o => ChannelSettingsValidation.IsHttpUrl(o.ApiBaseUrl), $"{TwilioOptions.Section}:ApiBaseUrl must be an absolute http(s) URL.")
            .ValidateOnStart();
        services.AddHttpClient<TwilioClient>().AddProviderTimeout("twilio");
        services.AddTransient<SmsChannel>();
        services.AddSingleton<SmsReplyCodes>();
        services.AddSingleton<SmsOptOuts>();
        services.AddSingleton<SmsBundles>();
        return services;
    }

    /// <summary>The consumer of the SMS queue.</summary>
    public static void AddTwilioConsumer(this IBusRegistrationConfigurator bus) =>
        // In a storm most SMS pages wait for their number's next slot (a timer, not work): they must not hold back
        // the first page to someone else.
        bus.AddChannelConsumer<SmsChannel>(ChannelNames.Sms, concurrentMessages: 1024);
}
