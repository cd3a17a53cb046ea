using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Escalation.Api.Configuration;

/// <summary>Tells a grain that the resource it watches was written or deleted, so that it acts at once.</summary>
public static class GrainNotice
{
    /// <summary>
    /// The resource is written already: a failed call is logged, not answered with an error. A grain that was watching
    /// still looks at its next deadline; one not watching yet starts at the resource's next write.
    /// </summary>
    public static async Task Tell(IServiceProvider services, string what, string id, Func<IGrainFactory, Task> call)
    {
        try
        {
            await call(services.GetRequiredService<IGrainFactory>());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GrainNotice))
                .LogWarning(e, "{What}.watch id={Id} failed: it is looked at again at its next deadline or write", what, id);
        }
    }
}
