using Npgsql;

namespace Escalation.Storage.Database;

/// <summary>
/// The delivery side's own connection pool on the same database: the ledger, the SMS tables and the webhooks'
/// replay guard. Up to a thousand consumers work at once there, so they get a bounded pool of their own
/// (<c>Escalation:Delivery:MaxDatabaseConnections</c>) and can only wait on each other, never take the connections
/// that ingest, authentication, configuration, the incidents list and the grains use. Injected as the keyed
/// <see cref="NpgsqlDataSource"/> <see cref="Key"/>.
/// </summary>
public static class DeliveryDatabase
{
    public const string Key = "delivery";

    /// <summary>How its sessions show in <c>pg_stat_activity</c> when the connection string names no application.</summary>
    public const string ApplicationName = "escalation-delivery";

    /// <summary><paramref name="connectionString"/> with the delivery pool's size and name.</summary>
    public static string ConnectionString(string connectionString, int maxConnections)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = maxConnections };
        builder.MinPoolSize = Math.Min(builder.MinPoolSize, maxConnections);
        builder.ApplicationName = string.IsNullOrEmpty(builder.ApplicationName) ? ApplicationName : $"{builder.ApplicationName}-delivery";
        return builder.ConnectionString;
    }
}
