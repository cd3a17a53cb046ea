using Escalation.Storage.Database;
using System.Globalization;
using System.Text.Json;

namespace Escalation.Testing;

/// <summary>
/// Debian's Prometheus (<c>/usr/bin/prometheus</c>) on a free port with its own storage, scraping
/// <paramref name="target"/> (host:port) every second as job <c>escalation</c>, with the shipped rule files loaded.
/// </summary>
public sealed class RealPrometheus : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";
    public const string Promtool = "/usr/bin/promtool";

    private readonly ServerProcess _server;
    private readonly HttpClient _http;

    private RealPrometheus(ServerProcess server) => (_server, _http) = (server, new HttpClient { BaseAddress = server.Address });

    public string Output => _server.Output;

    public static async Task<RealPrometheus> Start(string target, IReadOnlyList<string>? ruleFiles = null)
    {
        var root = ServerProcess.NewRoot("prometheus");
        var config = Path.Combine(root, "prometheus.yml");
        var rules = ruleFiles is { Count: > 0 } ? "rule_files:\n" + string.Concat(ruleFiles.Select(f => $"  - \"{f}\"\n")) : "";
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            {rules}
            scrape_configs:
              - job_name: escalation
                static_configs:
                  - targets: ["{target}"]
            """);
        var port = FreePort.Next();
        return new RealPrometheus(await ServerProcess.Start(Binary, root, port,
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(root, "data")}", $"--web.listen-address=127.0.0.1:{port}"],
            "/-/ready"));
    }

    /// <summary>An instant query: each series' labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> Query(string promql)
    {
        var text = await _http.GetStringAsync($"/api/v1/query?query={Uri.EscapeDataString(promql)}");
        using var document = JsonDocument.Parse(text);
        return [.. document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => (
            (IReadOnlyDictionary<string, string>)r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
    }

    /// <summary>The alerts the loaded rules have firing or pending, by name.</summary>
    public async Task<IReadOnlyList<(string Name, string State)>> Alerts()
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync("/api/v1/alerts"));
        return [.. document.RootElement.GetProperty("data").GetProperty("alerts").EnumerateArray()
            .Select(a => (a.GetProperty("labels").GetProperty("alertname").GetString()!, a.GetProperty("state").GetString()!))];
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }
}
