using Npgsql;

namespace Escalation.Storage.Database;

/// <summary>The main connection pool, for code that sees a database outage and must drop the pool's dead connections.</summary>
public sealed class ConnectionPools(NpgsqlDataSource db)
{
    /// <summary>See <see cref="DatabaseOutage.DropPooledConnections"/>.</summary>
    public void DropAfterOutage() => DatabaseOutage.DropPooledConnections(db);
}
