using System.Net.Sockets;
using Npgsql;

namespace Escalation.Storage;

/// <summary>
/// Tells an exception that means PostgreSQL cannot be reached right now (refused, cut off, shutting down, too slow to
/// answer) from one that means something is wrong with the request or the code. It looks through the exceptions that
/// wrap the cause: Orleans' storage errors, a grain call's, an aggregate's.
/// </summary>
public static class DatabaseOutage
{
    public static bool Explains(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Any(Explains);
                case PostgresException postgres:
                    return IsUnavailable(postgres.SqlState);
                case NpgsqlException { IsTransient: true }:
                case SocketException:
                case TimeoutException:
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Any error from the database or its driver, an outage or not: what a caller that must not fail on bookkeeping
    /// (an attempt log row, a released claim) logs and carries on from.
    /// </summary>
    public static bool IsDatabaseError(Exception exception) => exception is NpgsqlException or TimeoutException;

    /// <summary>
    /// Closes the pooled connections, Orleans' and <paramref name="db"/>'s. After a restart of PostgreSQL the pools
    /// still hold connections the server has closed, and each would fail one more call; dropped at the first failure,
    /// the calls after it open fresh ones. At most once every few seconds: under load many calls fail together, and each clearing would churn the pools.
    /// </summary>
    public static void DropPooledConnections(NpgsqlDataSource db)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastDropped);
        if (now - last < DropAtMostEveryMs || Interlocked.CompareExchange(ref _lastDropped, now, last) != last) return;
        NpgsqlConnection.ClearAllPools();
        db.Clear();
    }

    private const long DropAtMostEveryMs = 2000;
    private static long _lastDropped = -DropAtMostEveryMs;

    /// <summary>Connection exceptions (08), insufficient resources (53: too many connections) and shutdowns (57P).</summary>
    private static bool IsUnavailable(string? sqlState) =>
        sqlState is not null && (sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("53", StringComparison.Ordinal)
            || sqlState.StartsWith("57P", StringComparison.Ordinal));
}
