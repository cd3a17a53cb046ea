using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Escalation.ClusterTests;

/// <summary>
/// One real silo process (<c>dotnet Escalation.Silo.dll</c>) with its stdout and stderr captured line by line,
/// in memory for the test to parse and in a file for a person to read after a failure.
/// </summary>
internal sealed class SiloProcess : IDisposable
{
    // Inherited settings that would override what the test passes.
    private static readonly string[] Scrubbed =
        ["ASPNETCORE_ENVIRONMENT", "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS"];

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly StreamWriter _log;

    private SiloProcess(string name, int httpPort, Process process, StreamWriter log)
    {
        Name = name;
        HttpPort = httpPort;
        _process = process;
        _log = log;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string Name { get; }
    public int HttpPort { get; }
    public HttpClient Http { get; }
    public bool Killed { get; private set; }
    public bool HasExited => _process.HasExited;
    public int Id => _process.Id;

    /// <param name="runAs">A numeric uid (and gid) to run it as (by <c>setpriv</c>, which execs: the process is the silo itself), when the tests run as root.</param>
    /// <param name="onlyGiven">The environment is <paramref name="environment"/> and PATH alone, as a container's is.</param>
    public static SiloProcess Start(string name, string siloDll, int httpPort, IReadOnlyDictionary<string, string> environment, string logFile,
        string? runAs = null, bool onlyGiven = false)
    {
        var info = new ProcessStartInfo(runAs is null ? DotnetHost() : "setpriv")
        {
            WorkingDirectory = Path.GetDirectoryName(siloDll)!, // its own appsettings.json
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (runAs is not null)
            foreach (var argument in new[] { $"--reuid={runAs}", $"--regid={runAs}", "--clear-groups", "--", DotnetHost() }) info.ArgumentList.Add(argument);
        info.ArgumentList.Add(siloDll);
        if (onlyGiven)
        {
            var path = info.Environment["PATH"];
            info.Environment.Clear();
            info.Environment["PATH"] = path;
        }
        foreach (var variable in Scrubbed) info.Environment.Remove(variable);
        foreach (var (key, value) in environment) info.Environment[key] = value;

        var log = new StreamWriter(logFile) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var silo = new SiloProcess(name, httpPort, process, log);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) silo.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) silo.Add("[stderr] " + e.Data); };
        if (!process.Start()) throw new InvalidOperationException($"Could not start {name}.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>A copy of every line captured so far.</summary>
    public string[] Lines()
    {
        lock (_gate) return [.. _lines];
    }

    public string Tail(int count)
    {
        var lines = Lines();
        return string.Join(Environment.NewLine, lines.Skip(Math.Max(0, lines.Length - count)));
    }

    /// <summary>SIGKILL on Linux: no shutdown, no flushing, no leaving the cluster.</summary>
    public void Kill()
    {
        Killed = true;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM, as Kubernetes stops a pod: the silo drains and leaves the cluster.</summary>
    public void Terminate()
    {
        if (kill(_process.Id, 15) != 0) throw new InvalidOperationException($"kill -TERM {_process.Id} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the process to end; its exit code, or null if it still runs after <paramref name="within"/>.</summary>
    public async Task<int?> Exited(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>Until /health/ready answers 200 and the start-up report (which sets the bootstrap admin key) has run.</summary>
    public async Task WaitUntilReady(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (HasExited) throw new InvalidOperationException($"{Name} exited during start-up:{Environment.NewLine}{Tail(60)}");
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                using var response = await Http.GetAsync("/health/ready", timeout.Token);
                if (response.StatusCode == HttpStatusCode.OK && Lines().Any(l => l.Contains("Admin API key"))) return;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Name} was not ready within {within}:{Environment.NewLine}{Tail(60)}");
            await Task.Delay(250);
        }
    }

    /// <summary>One API call; throws unless it answers <paramref name="expected"/> (else any 2xx). Its JSON body, or default.</summary>
    public async Task<JsonElement> Call(HttpMethod method, string path, object? body = null, string? bearer = null, HttpStatusCode? expected = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var ok = expected is { } status ? response.StatusCode == status : response.IsSuccessStatusCode;
        if (!ok) throw new HttpRequestException($"{method} {path} on {Name} answered {(int)response.StatusCode}: {text}");
        if (text.Length == 0) return default;
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>The directory holding Escalation.sln.</summary>
    public static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Escalation.sln"))) root = root.Parent;
        Assert.True(root is not null, $"No Escalation.sln above {AppContext.BaseDirectory}.");
        return root.FullName;
    }

    /// <summary>src/Escalation.Silo's build output for the configuration these tests were built in.</summary>
    public static string SiloDll()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        var framework = output.Name;            // net10.0
        var configuration = output.Parent!.Name; // Debug or Release
        var dll = Path.Combine(RepositoryRoot(), "src", "Escalation.Silo", "bin", configuration, framework, "Escalation.Silo.dll");
        Assert.True(File.Exists(dll), $"{dll} does not exist: build src/Escalation.Silo in {configuration} first.");
        return dll;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) Kill();
            _process.WaitForExit(10_000); // drains the captured output
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        _process.Dispose();
        Http.Dispose();
        lock (_gate) _log.Dispose();
    }

    private void Add(string line)
    {
        lock (_gate)
        {
            _lines.Add(line);
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    internal static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Distinct free loopback ports; all listeners are held until every port is chosen.</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var listener in listeners) listener.Start();
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }
}
