using Escalation.Storage.Database;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Escalation.Silo.Health;

/// <summary>
/// Whether PostgreSQL answers. Reported on <c>/health/ready</c> but not a reason to leave the load balancer: every silo
/// shares the database, and a silo that stays in answers 503 with Retry-After meanwhile.
/// </summary>
public sealed class DatabaseCheck(DatabaseProbe database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await database.Answers(TimeSpan.FromSeconds(2), cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("PostgreSQL is not reachable.");
}
