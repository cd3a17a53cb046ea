using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Escalation.Storage.Database;

/// <summary>
/// A PostgreSQL server run from the machine's own binaries with its data in a local directory, so that the
/// service works with no set-up. It listens on 127.0.0.1 only and asks for the <c>postgres</c> user's password
/// (scram-sha-256), which only the owner of the data directory can read (<see cref="EmbeddedPassword"/>): other
/// accounts on the machine cannot open the database. A cluster made by an older version, which trusted every local
/// connection, is moved onto the password at its next start. A server left running by a killed process is found
/// again and reused.
/// </summary>
public sealed partial class EmbeddedPostgres : IAsyncDisposable
{
    private readonly string _binDirectory;
    private readonly ILogger _logger;

    private readonly bool _startedHere;
    private readonly string _password;

    private EmbeddedPostgres(string binDirectory, string dataDirectory, int port, string password, bool startedHere, ILogger logger)
    {
        _binDirectory = binDirectory;
        DataDirectory = dataDirectory;
        Port = port;
        _password = password;
        _startedHere = startedHere;
        _logger = logger;
    }

    public string DataDirectory { get; }
    public int Port { get; }

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Password = _password,
        Database = database,
        MaxPoolSize = 50,
        Timeout = 30,
    }.ConnectionString;

    public static async Task<EmbeddedPostgres> Start(string root, ILogger logger, string? binDirectory = null, CancellationToken ct = default)
    {
        var bin = binDirectory ?? FindBinaries();
        root = UsableRoot(Path.GetFullPath(root), logger);
        var data = Path.Combine(root, "postgres");
        Directory.CreateDirectory(root);
        var exists = File.Exists(Path.Combine(data, "PG_VERSION"));
        var trusting = exists && TrustsConnections(data);
        var password = exists && !trusting
            ? EmbeddedPassword.Read(root) ?? throw new InvalidOperationException(
                $"The embedded PostgreSQL in {data} needs its password file {EmbeddedPassword.PathIn(root)}, which is missing. " +
                "Restore it, or remove the data directory to start afresh.")
            : EmbeddedPassword.ReadOrCreate(root);
        // Also the password file: initdb reads it as the postgres user.
        ProcessRunner.HandToPostgres(root);

        if (!exists)
        {
            logger.LogInformation("Creating a PostgreSQL cluster in {DataDirectory}", data);
            Check(await ProcessRunner.Run(Path.Combine(bin, "initdb"),
            [
                "-D", data, "-U", "postgres", "-A", "scram-sha-256", "--pwfile", EmbeddedPassword.PathIn(root),
                "-E", "UTF8", "--no-locale",
            ], ct), "initdb");
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
        var server = new EmbeddedPostgres(bin, data, port.Value, password, startedHere, logger);
        if (trusting) await server.RequirePassword(ct);
        return server;
    }

    /// <summary>
    /// Moves a cluster made with trust authentication onto the password: sets it while trust still lets us in, then
    /// has pg_hba.conf ask for it and the server reload. Safe to repeat after a crash halfway.
    /// </summary>
    private async Task RequirePassword(CancellationToken ct)
    {
        await using (var db = NpgsqlDataSource.Create(ConnectionStringFor("postgres")))
        {
            // ALTER ROLE takes no parameters; the password is hex, so it needs no quoting.
            await using var set = db.CreateCommand(
                $"SET password_encryption = 'scram-sha-256'; ALTER ROLE postgres WITH PASSWORD '{_password}'");
            await set.ExecuteNonQueryAsync(ct);
        }
        var hba = Path.Combine(DataDirectory, "pg_hba.conf");
        var lines = await File.ReadAllLinesAsync(hba, ct);
        // Rewriting in place keeps the file's owner (postgres) and mode.
        await File.WriteAllLinesAsync(hba, lines.Select(l => IsRule(l) ? TrustMethod().Replace(l, "scram-sha-256") : l), ct);
        await using (var db = NpgsqlDataSource.Create(ConnectionStringFor("postgres")))
        await using (var reload = db.CreateCommand("SELECT pg_reload_conf()"))
            await reload.ExecuteScalarAsync(ct);
        _logger.LogWarning("The embedded PostgreSQL in {DataDirectory} trusted every local connection; it now asks for the password in {PasswordFile}",
            DataDirectory, EmbeddedPassword.PathIn(Path.GetDirectoryName(DataDirectory)!));
    }

    private static bool TrustsConnections(string data) =>
        File.ReadLines(Path.Combine(data, "pg_hba.conf")).Any(l => IsRule(l) && TrustMethod().IsMatch(l));

    private static bool IsRule(string line) => line.TrimStart() is { Length: > 0 } rule && rule[0] != '#';

    [GeneratedRegex(@"(?<=\s)trust(?=\s|$)")]
    private static partial Regex TrustMethod();

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
