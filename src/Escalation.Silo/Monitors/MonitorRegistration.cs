using Escalation.Monitors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Monitors;

public static class MonitorRegistration
{
    /// <summary>The HTTP checker the monitors' grains start checks on, with its guarded client.</summary>
    public static IServiceCollection AddEscalationMonitors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MonitorOptions>().Bind(configuration.GetSection(MonitorOptions.Section))
            .Validate(o => o.MaxConcurrentChecks > 0, $"{MonitorOptions.Section}:MaxConcurrentChecks must be at least 1.").ValidateOnStart();
        services.AddHttpClient(HttpChecker.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => HttpChecker.Handler(sp.GetRequiredService<IOptions<MonitorOptions>>().Value));
        services.AddSingleton<IHttpChecker, HttpChecker>();
        return services;
    }
}
