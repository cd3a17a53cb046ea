using Escalation.Storage.Database;
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

    private readonly ServerProcess _server;

    private RealAlertmanager(ServerProcess server) => _server = server;

    public Uri Address => _server.Address;

    /// <summary>What Alertmanager logged, for a failing test's message.</summary>
    public string Output => _server.Output;

    public static async Task<RealAlertmanager> Start(string webhookUrl, string bearerToken)
    {
        var root = ServerProcess.NewRoot("alertmanager");
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
        var port = FreePort.Next();
        return new RealAlertmanager(await ServerProcess.Start(Binary, root, port,
            [$"--config.file={config}", $"--storage.path={Path.Combine(root, "data")}", $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--log.level=debug"],
            "/-/ready"));
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

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
