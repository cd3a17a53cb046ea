using System.Security.Cryptography;
using System.Text;
using Escalation.Silo.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Escalation.Silo.Storage;

/// <summary>
/// A PostgreSQL server run from the machine's own binaries with its data in a local directory, so that the
/// service works with no set-up. It listens on 127.0.0.1 only, with trust authentication: it is for one machine.
/// A server left running by a killed process is found again and reused.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private readonly string _binDirectory;
    private readonly ILogger _logger;

    private readonly bool _startedHere;

    private EmbeddedPostgres(string binDirectory, string dataDirectory, int port, bool startedHere, ILogger logger)
    {
        _binDirectory = binDirectory;
        DataDirectory = dataDirectory;
        Port = port;
        _startedHere = startedHere;
        _logger = logger;
    }

    public string DataDirectory { get; }
    public int Port { get; }

    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Maximum Pool Size=50;Timeout=30";

    public static async Task<EmbeddedPostgres> Start(string root, ILogger logger, string? binDirectory = null, CancellationToken ct = default)
    {
        var bin = binDirectory ?? FindBinaries();
        root = UsableRoot(Path.GetFullPath(root), logger);
        var data = Path.Combine(root, "postgres");
        Directory.CreateDirectory(root);
        ProcessRunner.HandToPostgres(root);

        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            logger.LogInformation("Creating a PostgreSQL cluster in {DataDirectory}", data);
            Check(await ProcessRunner.Run(Path.Combine(bin, "initdb"),
                ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"], ct), "initdb");
        }

        var port = await RunningPort(bin, data, ct);
        var startedHere = port is null;
        if (port is null)
        {
            port = FreePort.Next();
            Check(await ProcessRunner.Run(Path.Combine(bin, "pg_ctl"),
            [
                "start", "-D", data, "-l", Path.Combine(root, "postgres.log"), "-w", "-t", "60",
                "-o", $"-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300",
            ], ct), "pg_ctl start");
            logger.LogInformation("Started PostgreSQL on 127.0.0.1:{Port} with data in {DataDirectory}", port, data);
        }
        else
        {
            logger.LogInformation("Reusing the PostgreSQL already running on 127.0.0.1:{Port} for {DataDirectory}", port, data);
        }
        return new EmbeddedPostgres(bin, data, port.Value, startedHere, logger);
    }

    public async Task CreateDatabaseIfMissing(string name)
    {
        await using var db = NpgsqlDataSource.Create(ConnectionStringFor("postgres"));
        await using var exists = db.CreateCommand("SELECT 1 FROM pg_database WHERE datname = $1");
        exists.Parameters.AddWithValue(name);
        if (await exists.ExecuteScalarAsync() is not null) return;
        await using var create = db.CreateCommand($"CREATE DATABASE \"{name}\"");
        try
        {
            await create.ExecuteNonQueryAsync();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another process created it first.
        }
    }

    /// <summary>Stops the server, unless another process started it: other silos may still be using it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_startedHere) return;
        var (code, output) = await ProcessRunner.Run(Path.Combine(_binDirectory, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w"]);
        if (code != 0) _logger.LogWarning("pg_ctl stop failed: {Output}", output.Trim());
    }

    /// <summary>Stops the server now, whoever started it: a fault test's database outage.</summary>
    public async Task Stop() =>
        Check(await ProcessRunner.Run(Path.Combine(_binDirectory, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w"]), "pg_ctl stop");

    /// <summary>Starts a stopped server again with the options it last ran with (postmaster.opts): same port, same data.</summary>
    public async Task Restart() =>
        Check(await ProcessRunner.Run(Path.Combine(_binDirectory, "pg_ctl"),
            ["restart", "-D", DataDirectory, "-l", Path.Combine(Path.GetDirectoryName(DataDirectory)!, "postgres.log"), "-w", "-t", "60"]), "pg_ctl restart");

    private static async Task<int?> RunningPort(string bin, string data, CancellationToken ct)
    {
        var (code, _) = await ProcessRunner.Run(Path.Combine(bin, "pg_ctl"), ["status", "-D", data], ct);
        if (code != 0) return null;
        // postmaster.pid: line 4 is the port.
        var lines = await File.ReadAllLinesAsync(Path.Combine(data, "postmaster.pid"), ct);
        return lines.Length > 3 && int.TryParse(lines[3], out var port) ? port : null;
    }

    private static string FindBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Where(d => File.Exists(Path.Combine(d, "bin", "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
            : Enumerable.Empty<string>();
        if (versions.FirstOrDefault() is { } newest) return Path.Combine(newest, "bin");

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .FirstOrDefault(p => File.Exists(Path.Combine(p, "pg_ctl")) && File.Exists(Path.Combine(p, "initdb")));
        return onPath ?? throw new InvalidOperationException(
            "PostgreSQL's server binaries (initdb, pg_ctl) were not found. Install PostgreSQL (apt-get install postgresql) " +
            "or point the service at a database with ConnectionStrings__Escalation.");
    }

    /// <summary>
    /// As root, the postgres user must be able to reach the data directory. When a parent directory (such as /root)
    /// shuts it out, the data goes under /var/lib/escalation instead, in a folder named after the requested path.
    /// </summary>
    private static string UsableRoot(string root, ILogger logger)
    {
        if (!ProcessRunner.RunningAsRoot || OperatingSystem.IsWindows()) return root;
        for (var dir = Path.GetDirectoryName(root); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (!Directory.Exists(dir)) continue;
            if ((File.GetUnixFileMode(dir) & UnixFileMode.OtherExecute) == 0)
            {
                var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..12];
                var moved = Path.Combine("/var/lib/escalation", hash);
                logger.LogWarning("The postgres user cannot reach {Root} ({Dir} is closed to it); keeping the data in {Moved} instead", root, dir, moved);
                return moved;
            }
        }
        return root;
    }


    private static void Check((int ExitCode, string Output) result, string what)
    {
        if (result.ExitCode != 0) throw new InvalidOperationException($"{what} failed: {result.Output.Trim()}");
    }
}
