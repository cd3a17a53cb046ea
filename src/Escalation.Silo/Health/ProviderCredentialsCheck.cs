using Escalation.Silo.Notifications;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Escalation.Silo.Health;

/// <summary>Degraded (still ready) while a provider refuses the service's credentials: pages are retried, but an operator must act.</summary>
public sealed class ProviderCredentialsCheck(ProviderHealth providers) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var refused = providers.Refusals;
        if (refused.Count == 0) return Task.FromResult(HealthCheckResult.Healthy());
        var refusals = string.Join("; ", refused.OrderBy(r => r.Key).Select(r => $"{r.Key}: {r.Value.Error} (since {r.Value.Since:O})"));
        return Task.FromResult(HealthCheckResult.Degraded(
            $"A provider refuses the service's credentials ({refusals}): check them; pages are being retried."));
    }
}
