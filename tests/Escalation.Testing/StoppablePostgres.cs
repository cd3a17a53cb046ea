using Escalation.Storage.Database;
using Escalation.Storage.Schema;
using Microsoft.Extensions.Logging.Abstractions;

namespace Escalation.Testing;

/// <summary>
/// A PostgreSQL server of a fault test's own, which the test stops and starts again (same port, same data) while the
/// service runs on it. The shared <see cref="TestPostgres"/> server must never stop under the other tests.
/// </summary>
public sealed class StoppablePostgres : IAsyncDisposable
{
    private readonly string _root;
    private readonly EmbeddedPostgres _server;

    private StoppablePostgres(string root, EmbeddedPostgres server) => (_root, _server) = (root, server);

    public static async Task<StoppablePostgres> Start()
    {
        var root = Path.Combine(Path.GetTempPath(), $"escalation-outage-{Guid.NewGuid():N}");
        return new StoppablePostgres(root, await EmbeddedPostgres.Start(root, NullLogger.Instance));
    }

    /// <summary>A new database on this server, schema applied.</summary>
    public async Task<string> CreateDatabase()
    {
        var name = $"t_{Guid.NewGuid():N}";
        await _server.CreateDatabaseIfMissing(name);
        var connectionString = _server.ConnectionStringFor(name);
        await SchemaMigrator.Apply(connectionString);
        return connectionString;
    }

    public Task Stop() => _server.Stop();

    public Task Restart() => _server.Restart();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
