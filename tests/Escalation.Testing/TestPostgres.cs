using Escalation.Storage.Database;
using Escalation.Storage.Schema;
using Microsoft.Extensions.Logging.Abstractions;

namespace Escalation.Testing;

/// <summary>
/// One throwaway PostgreSQL server per test process, from the machine's binaries, in a temporary directory.
/// Each test asks for its own database, with the schema applied, so tests never see each other's data.
/// </summary>
public static class TestPostgres
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"escalation-tests-{Guid.NewGuid():N}");
    private static readonly Lazy<Task<EmbeddedPostgres>> Server = new(StartServer);

    public static async Task<string> CreateDatabase()
    {
        var server = await Server.Value;
        var name = $"t_{Guid.NewGuid():N}";
        await server.CreateDatabaseIfMissing(name);
        var connectionString = server.ConnectionStringFor(name);
        await SchemaMigrator.Apply(connectionString);
        return connectionString;
    }

    private static async Task<EmbeddedPostgres> StartServer()
    {
        var server = await EmbeddedPostgres.Start(Root, NullLogger.Instance);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return server;
    }
}
