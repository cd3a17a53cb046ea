using System.Diagnostics;
using System.Runtime.Versioning;
using Escalation.Silo.Hosting;
using Escalation.Storage.Database;
using Escalation.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Escalation.Tests.Storage;

/// <summary>The embedded PostgreSQL opens only with the password kept in its data directory, for its owner alone.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class EmbeddedPostgresTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"escalation-embedded-{Guid.NewGuid():N}");
    private EmbeddedPostgres? _server;
    private bool _startedByTest;

    private string Data => Path.Combine(_root, "postgres");

    [Fact]
    public async Task A_new_cluster_refuses_a_connection_without_its_password()
    {
        _server = await EmbeddedPostgres.Start(_root, NullLogger.Instance);

        await AssertRefused(_server.Port);
        Assert.Equal(1, await Scalar(_server.ConnectionStringFor("postgres"), "SELECT 1"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(EmbeddedPassword.PathIn(_root)));
    }

    [Fact]
    public async Task A_cluster_made_with_trust_asks_for_the_password_from_its_next_start_and_keeps_its_data()
    {
        var port = await StartTrustingCluster();
        await Scalar(Trusting(port), "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42); SELECT 0");
        await PgCtl("stop", "-D", Data, "-m", "fast", "-w");
        _startedByTest = false;

        _server = await EmbeddedPostgres.Start(_root, NullLogger.Instance);

        await AssertRefused(_server.Port);
        Assert.Equal(42, await Scalar(_server.ConnectionStringFor("postgres"), "SELECT v FROM kept"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(EmbeddedPassword.PathIn(_root)));
    }

    [Fact]
    public async Task A_trusting_server_left_running_is_moved_onto_the_password_when_reused()
    {
        var port = await StartTrustingCluster();

        _server = await EmbeddedPostgres.Start(_root, NullLogger.Instance);

        Assert.Equal(port, _server.Port);
        // The server reloads pg_hba.conf on a signal: new connections follow it a moment later.
        await Eventually.Get(() => Refuses(port), refused => refused, "the reloaded server to refuse a connection without the password");
        Assert.Equal(1, await Scalar(_server.ConnectionStringFor("postgres"), "SELECT 1"));
    }

    /// <summary>A data directory as the embedded default made it before it had a password: initdb -A trust.</summary>
    private async Task<int> StartTrustingCluster()
    {
        Directory.CreateDirectory(_root);
        if (Environment.IsPrivilegedProcess) await Run("chown", "postgres:postgres", _root);
        await PgTool("initdb", "-D", Data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale");
        var port = FreePort.Next();
        await PgCtl("start", "-D", Data, "-l", Path.Combine(_root, "postgres.log"), "-w",
            "-o", $"-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''");
        _startedByTest = true;
        Assert.Equal(1, await Scalar(Trusting(port), "SELECT 1"));
        return port;
    }

    private static string Trusting(int port) => $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";

    private static async Task AssertRefused(int port) => Assert.True(await Refuses(port), "a connection without the password was let in");

    /// <summary>Both ways in without the password: none at all, and a wrong one.</summary>
    private static async Task<bool> Refuses(int port)
    {
        try
        {
            await Scalar(Trusting(port), "SELECT 1");
            return false;
        }
        catch (NpgsqlException)
        {
        }
        try
        {
            await Scalar(Trusting(port) + ";Password=guessed", "SELECT 1");
            return false;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidPassword)
        {
            return true;
        }
    }

    private static async Task<int> Scalar(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }

    private static Task PgCtl(params string[] args) => PgTool("pg_ctl", args);

    private static Task PgTool(string tool, params string[] args)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, tool))).OrderDescending().FirstOrDefault() ?? "";
        var path = Path.Combine(bin, tool);
        return Environment.IsPrivilegedProcess ? Run("runuser", ["-u", "postgres", "--", path, .. args]) : Run(path, args);
    }

    private static async Task Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: {await output}{await errors}");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        if (_startedByTest) await PgCtl("stop", "-D", Data, "-m", "fast", "-w");
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
