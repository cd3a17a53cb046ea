using Escalation.Practice;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Escalation.Api.Configuration;

/// <summary>Tells a service's SLO grain that the service changed, so that it starts or stops watching at once.</summary>
public static class SloWatch
{
    /// <summary>
    /// The service is written already: a failed call is logged, not answered with an error. The grain still looks at
    /// its next minute if it was watching; an SLO just declared is taken up at the service's next write.
    /// </summary>
    public static async Task Tell(IServiceProvider services, string serviceId, bool declared)
    {
        try
        {
            await services.GetRequiredService<IGrainFactory>().GetGrain<ISloGrain>(SloKeys.For(serviceId)).Watch(declared);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SloWatch))
                .LogWarning(e, "slo.watch service={ServiceId} failed: the SLO is looked at again at its next check", serviceId);
        }
    }
}
