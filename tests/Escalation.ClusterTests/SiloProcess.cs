using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

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

    public static SiloProcess Start(string name, string siloDll, int httpPort, IReadOnlyDictionary<string, string> environment, string logFile)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(siloDll)!, // its own appsettings.json
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(siloDll);
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

    private static string DotnetHost() =>
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
