using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Hosting;

/// <summary>
/// The first step of a SIGTERM, before any service stops: /health/ready turns 503 and, for
/// <see cref="SiloOptions.DrainDelay"/>, requests are still served, so that the load balancer stops sending here
/// before the listener closes. Then the host stops the rest within <see cref="SiloOptions.ShutdownGrace"/>: Kestrel
/// finishes the requests in flight, the bus its consumers, and the silo hands its grains back and leaves the cluster.
/// </summary>
public sealed class Drain(IOptions<SiloOptions> options, TimeProvider clock, ILogger<Drain> logger) : IHostedLifecycleService, IHealthCheck
{
    private volatile bool _draining;

    public bool Draining => _draining;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var delay = options.Value.DrainDelay;
        logger.LogInformation("Draining: not ready any more; stopping in {Delay}, within a grace of {Grace}", delay, options.Value.ShutdownGrace);
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, clock, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_draining ? HealthCheckResult.Unhealthy("The silo is shutting down.") : HealthCheckResult.Healthy());

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
