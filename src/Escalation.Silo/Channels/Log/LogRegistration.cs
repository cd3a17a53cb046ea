using Escalation.Notifications;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Silo.Channels.Log;

public static class LogRegistration
{
    /// <summary>The <c>log</c> channel, which needs no settings.</summary>
    public static IServiceCollection AddLogChannel(this IServiceCollection services) => services.AddSingleton<LogChannel>();

    /// <summary>The consumer of the log queue.</summary>
    public static void AddLogChannelConsumer(this IBusRegistrationConfigurator bus) =>
        bus.AddChannelConsumer<LogChannel>(ChannelNames.Log);
}
