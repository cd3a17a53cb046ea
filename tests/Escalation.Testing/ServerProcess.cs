using System.Diagnostics;
using System.Text;

namespace Escalation.Testing;

/// <summary>
/// A real server the tests start (Alertmanager, Prometheus) on a free loopback port with a directory of its own:
/// its output kept for a failing test's message, ready once a path answers 2xx, killed and its directory removed at the end.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, string root, Uri address) => (_process, Root, Address) = (process, root, address);

    public Uri Address { get; }

    /// <summary>The server's own directory (configuration, data).</summary>
    public string Root { get; }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>A fresh directory for a server's files, before it is started.</summary>
    public static string NewRoot(string name) => Directory.CreateTempSubdirectory($"escalation-{name}-").FullName;

    public static async Task<ServerProcess> Start(string binary, string root, int port, IEnumerable<string> arguments, string readyPath)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start");
        var server = new ServerProcess(process, root, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => server.Log(e.Data);
        process.ErrorDataReceived += (_, e) => server.Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = server.Address };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"{binary} exited: {server.Output}");
            try
            {
                if ((await http.GetAsync(readyPath)).IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{binary} was not ready in 30 s: {server.Output}");
            await Task.Delay(100);
        }
    }

    private void Log(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
