using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Escalation.Testing;

/// <summary>
/// Debian's Prometheus Alertmanager (<c>/usr/bin/prometheus-alertmanager</c>) on a free port with its own storage and
/// no gossip, grouping for about a second, its webhook receiver pointed at <paramref name="webhookUrl"/> with the
/// integration's secret as the bearer token of <c>http_config.authorization</c>.
/// </summary>
public sealed class RealAlertmanager : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus-alertmanager";

    private readonly Process _process;
    private readonly string _root;
    private readonly StringBuilder _output = new();

    private RealAlertmanager(Process process, string root, Uri address)
    {
        _process = process;
        _root = root;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>What Alertmanager logged, for a failing test's message.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static async Task<RealAlertmanager> Start(string webhookUrl, string bearerToken)
    {
        var root = Directory.CreateTempSubdirectory("escalation-alertmanager-").FullName;
        var config = Path.Combine(root, "alertmanager.yml");
        await File.WriteAllTextAsync(config, $"""
            route:
              receiver: escalation
              group_by: [alertname]
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: escalation
                webhook_configs:
                  - url: "{webhookUrl}"
                    send_resolved: true
                    http_config:
                      authorization:
                        type: Bearer
                        credentials: "{bearerToken}"
            """);
        var port = FreePort();
        var start = new ProcessStartInfo(Binary)
        {
            ArgumentList =
            {
                $"--config.file={config}", $"--storage.path={Path.Combine(root, "data")}", $"--web.listen-address=127.0.0.1:{port}",
                "--cluster.listen-address=", "--log.level=debug",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{Binary} did not start");
        var alertmanager = new RealAlertmanager(process, root, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => alertmanager.Log(e.Data);
        process.ErrorDataReceived += (_, e) => alertmanager.Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = alertmanager.Address };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"Alertmanager exited: {alertmanager.Output}");
            try
            {
                if ((await http.GetAsync("/-/ready")).IsSuccessStatusCode) return alertmanager;
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Alertmanager was not ready in 30 s: {alertmanager.Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>Posts one alert to Alertmanager's API, as Prometheus does; <paramref name="endsAt"/> in the past resolves it.</summary>
    public async Task PostAlert(IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations, DateTimeOffset? endsAt = null)
    {
        using var http = new HttpClient { BaseAddress = Address };
        var alert = new Dictionary<string, object> { ["labels"] = labels, ["annotations"] = annotations, ["generatorURL"] = "http://prometheus.example:9090/graph" };
        if (endsAt is { } end) alert["endsAt"] = end.ToString("O");
        var response = await http.PostAsync("/api/v2/alerts",
            new StringContent(System.Text.Json.JsonSerializer.Serialize(new[] { alert }), Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Alertmanager refused the alert: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private void Log(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
