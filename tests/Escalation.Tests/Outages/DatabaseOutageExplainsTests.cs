using System.Net.Sockets;
using Escalation.Storage;
using Npgsql;

namespace Escalation.Tests.Outages;

/// <summary>Which exceptions mean "the database is away" (503, wait and try again) and which are a bug (500).</summary>
public sealed class DatabaseOutageExplainsTests
{
    private static NpgsqlException Refused() => new("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));

    private static PostgresException Postgres(string sqlState) => new("message", "FATAL", "FATAL", sqlState);

    public static TheoryData<string, Exception> Outages => new()
    {
        { "connection refused", Refused() },
        { "wrapped by Orleans' storage", new OrleansException("Error from storage provider AdoNetGrainStorage.incidents during WriteStateAsync", Refused()) },
        { "in an aggregate", new AggregateException(new InvalidOperationException("other"), Refused()) },
        { "a command timeout", new NpgsqlException("Exception while reading from stream", new TimeoutException()) },
        { "a grain call that timed out", new TimeoutException("Response did not arrive on time") },
        { "the server shutting down", Postgres(PostgresErrorCodes.AdminShutdown) },
        { "the server starting up", Postgres(PostgresErrorCodes.CannotConnectNow) },
        { "too many connections", Postgres(PostgresErrorCodes.TooManyConnections) },
    };

    public static TheoryData<string, Exception> Bugs => new()
    {
        { "a unique violation", Postgres(PostgresErrorCodes.UniqueViolation) },
        { "a syntax error, wrapped by Orleans", new OrleansException("storage", Postgres(PostgresErrorCodes.SyntaxError)) },
        { "a plain bug", new InvalidOperationException("Sequence contains no elements") },
        { "an Npgsql usage error", new NpgsqlException("The parameter is of the wrong type") },
    };

    [Theory, MemberData(nameof(Outages))]
    public void An_unreachable_database_is_told_apart(string what, Exception exception) => Assert.True(DatabaseOutage.Explains(exception), what);

    [Theory, MemberData(nameof(Bugs))]
    public void A_bug_is_not_taken_for_an_outage(string what, Exception exception) => Assert.False(DatabaseOutage.Explains(exception), what);
}
