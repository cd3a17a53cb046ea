using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Escalation.Storage.Database;

/// <summary>Whether PostgreSQL answers, on the main pool; a failed probe drops both pools' dead connections.</summary>
public sealed class DatabaseProbe(NpgsqlDataSource db, [FromKeyedServices(DeliveryDatabase.Key)] NpgsqlDataSource delivery)
{
    public async Task<bool> Answers(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            await using var cmd = db.CreateCommand("SELECT 1");
            await cmd.ExecuteScalarAsync(limit.Token);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or InvalidOperationException)
        {
            DatabaseOutage.DropPooledConnections(db);
            delivery.Clear();
            return false;
        }
    }
}
