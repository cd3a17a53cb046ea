using Escalation.Storage.Database;
using Escalation.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Escalation.Silo.Health;

/// <summary>
/// Whether PostgreSQL answers. Reported on <c>/health/ready</c> but not a reason to leave the load balancer: every silo
/// shares the database, and a silo that stays in answers 503 with Retry-After meanwhile.
/// </summary>
public sealed class DatabaseCheck(NpgsqlDataSource db, [FromKeyedServices(DeliveryDatabase.Key)] NpgsqlDataSource delivery) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var cmd = db.CreateCommand("SELECT 1");
            await cmd.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or InvalidOperationException)
        {
            DatabaseOutage.DropPooledConnections(db);
            delivery.Clear();
            return HealthCheckResult.Unhealthy("PostgreSQL is not reachable.");
        }
    }
}
