using Escalation.Storage.Schema;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Escalation.Storage.Database;

/// <summary>
/// Decides which PostgreSQL the service uses and readies it (schema applied) on first use: the configured
/// <c>ConnectionStrings:Escalation</c>, or, with none, an embedded server of our own. As a hosted service it is
/// readied at start-up and stopped last.
/// </summary>
public sealed class EscalationDatabase : IHostedService, IAsyncDisposable
{
    public const string ConnectionStringName = "Escalation";
    private const string DatabaseName = "escalation";

    private readonly IConfiguration _configuration;
    private readonly ILogger<EscalationDatabase> _logger;
    private readonly Lazy<Task<string>> _ready;
    private EmbeddedPostgres? _embedded;

    public EscalationDatabase(IConfiguration configuration, ILogger<EscalationDatabase> logger)
    {
        _configuration = configuration;
        _logger = logger;
        _ready = new Lazy<Task<string>>(Prepare);
    }

    public bool IsEmbedded => _configuration.GetConnectionString(ConnectionStringName) is null;

    /// <summary>
    /// The connection string of a ready database. Orleans reads it while the host is being built, before any
    /// hosted service has started, so the first reader waits for the preparation.
    /// </summary>
    public string ConnectionString => _ready.Value.GetAwaiter().GetResult();

    public Task StartAsync(CancellationToken cancellationToken) => _ready.Value;

    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    /// <summary>Also when the host failed to start (a setting refused): the server was started while the host was built.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _embedded, null) is { } embedded) await embedded.DisposeAsync();
    }

    private async Task<string> Prepare()
    {
        var connectionString = _configuration.GetConnectionString(ConnectionStringName);
        if (connectionString is null)
        {
            var root = _configuration["Escalation:Embedded:DataDirectory"] ?? ".escalation-data";
            _embedded = await EmbeddedPostgres.Start(root, _logger, _configuration["Escalation:Embedded:PostgresBinDirectory"]);
            await _embedded.CreateDatabaseIfMissing(DatabaseName);
            connectionString = _embedded.ConnectionStringFor(DatabaseName);
        }
        // Nothing here sets session state, so pooled connections need no DISCARD ALL on reuse: it doubled the
        // transactions per statement and threw away the plans cached in the storage functions (docs/benchmarks.md).
        connectionString = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;
        await SchemaMigrator.Apply(connectionString);
        return connectionString;
    }
}
