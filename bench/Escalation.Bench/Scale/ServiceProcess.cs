using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Escalation.Bench.Scale;

/// <summary>
/// The silo as a child process of the bench: configured by environment variables (its own data directory, ports and
/// admin key, no demo), its output appended to <c>&lt;data&gt;.silo.log</c>. Measured from /proc.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly ScaleOptions _options;
    private readonly string _adminKey;
    private Process? _process;

    public ServiceProcess(ScaleOptions options, string adminKey)
    {
        _options = options;
        _adminKey = adminKey;
        HttpPort = options.HttpPort > 0 ? options.HttpPort : FreePort();
        SiloPort = options.SiloPort > 0 ? options.SiloPort : FreePort();
        // Whatever ends the bench (Ctrl+C included), the silo should not outlive it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryKill(Signal.Term);
        Console.CancelKeyPress += (_, _) => TryKill(Signal.Term);
    }

    public int HttpPort { get; }
    public int SiloPort { get; }
    public Uri Url => new($"http://127.0.0.1:{HttpPort}");
    public string LogFile => _options.DataDirectory.TrimEnd('/') + ".silo.log";
    public int Pid => _process?.Id ?? throw new InvalidOperationException("The silo is not running.");

    /// <summary>Starts the silo and waits for /health/ready to answer 200; returns the time from the start to that answer.</summary>
    public async Task<TimeSpan> StartAndWaitReady(TimeSpan limit)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            // exec: the pid is the silo's own, so /proc/<pid> measures the silo and not a shell.
            ArgumentList = { "-c", "exec dotnet \"$0\" >>\"$1\" 2>&1", _options.SiloDll, LogFile },
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(_options.SiloDll)!,
        };
        info.Environment["Escalation__Embedded__DataDirectory"] = _options.DataDirectory;
        info.Environment["Urls"] = Url.ToString().TrimEnd('/');
        info.Environment["Escalation__Silo__Port"] = SiloPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["Escalation__Auth__BootstrapAdminKey"] = _adminKey;
        info.Environment["Escalation__Demo__Enabled"] = "false";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";

        var clock = Stopwatch.StartNew();
        _process = Process.Start(info) ?? throw new InvalidOperationException("The silo did not start.");
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        while (clock.Elapsed < limit)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The silo exited with code {_process.ExitCode}: see {LogFile}.");
            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return clock.Elapsed;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"The silo was not ready within {limit.TotalSeconds:0} s: see {LogFile}.");
    }

    /// <summary>SIGTERM (the silo also stops its PostgreSQL) or SIGKILL (PostgreSQL keeps running, and is reused at the next start).</summary>
    public async Task Stop(bool kill = false)
    {
        if (_process is null || _process.HasExited) return;
        TryKill(kill ? Signal.Kill : Signal.Term);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            TryKill(Signal.Kill);
            await _process.WaitForExitAsync();
        }
        _process = null;
    }

    /// <summary>User plus system CPU seconds of the silo so far.</summary>
    public double CpuSeconds() => ProcStat.CpuSeconds(Pid, includeReapedChildren: false);

    /// <summary>Resident set size of the silo now, in KB.</summary>
    public long RssKb() => ProcStat.RssKb(Pid);

    public async ValueTask DisposeAsync()
    {
        await Stop();
        await StopLeftoverPostgres();
        if (!_options.Keep)
        {
            if (Directory.Exists(_options.DataDirectory)) Directory.Delete(_options.DataDirectory, recursive: true);
            if (File.Exists(LogFile)) File.Delete(LogFile);
        }
    }

    /// <summary>
    /// A silo that found its PostgreSQL already running (after a SIGKILL) leaves it running when it stops: stop it
    /// (SIGINT is PostgreSQL's fast shutdown), so that no server is left on a removed or kept directory.
    /// </summary>
    private async Task StopLeftoverPostgres()
    {
        if (ProcStat.PostmasterPid(_options.DataDirectory) is not { } postmaster) return;
        SendSignal(postmaster, 2);
        for (var i = 0; i < 300 && Directory.Exists($"/proc/{postmaster}"); i++) await Task.Delay(100);
    }

    private enum Signal { Term = 15, Kill = 9 }

    private void TryKill(Signal signal)
    {
        try
        {
            if (_process is { HasExited: false } p) SendSignal(p.Id, (int)signal);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
