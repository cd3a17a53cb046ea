using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Escalation.Testing;
using WireMock.RequestBuilders;
using Request = WireMock.RequestBuilders.Request;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Escalation.ClusterTests;

/// <summary>
/// A real Prometheus scrapes a real silo with the shipped rules loaded: the series the rules and the dashboard read are
/// there and move as alerts come in, pages go out, deadlines fire and Slack fails; the exposition passes
/// <c>promtool check metrics</c>; and the logs are JSON when <c>Logging__Console__FormatterName=json</c>.
/// </summary>
public sealed partial class ObservabilityTests(ITestOutputHelper output)
{
    private const string AdminKey = "observability-test-admin-key-8d2f71";

    [Fact, Trait("Category", "Cluster")]
    public async Task Prometheus_scrapes_every_series_the_rules_and_dashboard_read_and_they_move()
    {
        using var slack = WireMockServer.Start();
        slack.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("down"));
        var ports = SiloProcess.FreePorts(2);
        var logs = Directory.CreateTempSubdirectory("escalation-observability-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Escalation"] = await TestPostgres.CreateDatabase(),
            ["Escalation__Silo__Port"] = ports[0].ToString(),
            ["Urls"] = $"http://127.0.0.1:{ports[1]}",
            ["Escalation__Auth__BootstrapAdminKey"] = AdminKey,
            ["Escalation__Demo__Enabled"] = "false",
            ["Escalation__Metrics__ReadEvery"] = "00:00:01",
            ["Escalation__Channels__Slack__BotToken"] = "xoxb-observability",
            ["Escalation__Channels__Slack__SigningSecret"] = "observability-signing-secret",
            ["Escalation__Channels__Slack__ApiBaseUrl"] = slack.Url + "/api/",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Logging__Console__FormatterName"] = "json",
        };
        using var silo = SiloProcess.Start("silo", SiloProcess.SiloDll(), ports[1], environment, Path.Combine(logs, "silo.log"));
        await silo.WaitUntilReady(TimeSpan.FromMinutes(2));
        var monitoring = Path.Combine(SiloProcess.RepositoryRoot(), "deploy", "monitoring");
        await using var prometheus = await RealPrometheus.Start($"127.0.0.1:{ports[1]}", [Path.Combine(monitoring, "escalation-rules.yml")]);

        // A P1 pages on-call by Slack (failing) and email (the log, as email is not configured), then escalates in 2 s.
        foreach (var id in new[] { "oncall", "second" })
            await silo.Call(HttpMethod.Put, $"/api/v1/users/{id}", new
            {
                name = id, slack_user_id = "U" + id.ToUpperInvariant(), email = $"{id}@example.com", time_zone = "Etc/UTC",
                notification_rules = new[] { new { channel = "slack", after = "PT0S", urgency = "any" }, new { channel = "email", after = "PT0S", urgency = "any" } },
            }, AdminKey);
        await silo.Call(HttpMethod.Put, "/api/v1/escalation-policies/fast", new
        {
            name = "Fast",
            levels = new object[]
            {
                new { escalate_after = "PT2S", targets = new[] { new { type = "user", id = "oncall" } } },
                new { escalate_after = "PT10M", targets = new[] { new { type = "user", id = "second" } } },
            },
        }, AdminKey);
        var routingKey = (await silo.Call(HttpMethod.Put, "/api/v1/services/svc", new { name = "Service", escalation_policy_id = "fast" }, AdminKey))
            .GetProperty("integration_key").GetString()!;

        await Trigger(silo, routingKey, "first");
        await silo.Call(HttpMethod.Post, "/v2/enqueue", new { routing_key = routingKey, event_action = "trigger" }, expected: HttpStatusCode.BadRequest);

        await Until(prometheus, "the first alert's pages, Slack's failures and the escalation", async () =>
        {
            var lateness = await Sum(prometheus, "escalation_deadline_lateness_seconds_count");
            var errors = await Sum(prometheus, "escalation_provider_errors_total{channel=\"slack\",code=\"503\"}");
            var emails = await Sum(prometheus, "escalation_notifications_total{channel=\"email\",kind=\"page\",outcome=\"sent\"}");
            return (lateness >= 1 && errors >= 1 && emails >= 2, $"deadlines fired {lateness}, Slack errors {errors}, email pages {emails} (both levels')");
        });
        Assert.Equal(1, await Sum(prometheus, "escalation_events_total{outcome=\"accepted\",source=\"events_v2\"}"));
        Assert.Equal(1, await Sum(prometheus, "escalation_events_total{outcome=\"rejected\",reason=\"invalid\"}"));
        Assert.Equal(1, await Sum(prometheus, "escalation_incidents_opened_total{service=\"svc\",priority=\"P1\"}"));

        // They move: a second alert, resolved by its source, and the first incident acknowledged.
        await Trigger(silo, routingKey, "second");
        await silo.Call(HttpMethod.Post, "/v2/enqueue", new { routing_key = routingKey, event_action = "resolve", dedup_key = "second" }, expected: HttpStatusCode.Accepted);
        var first = (await silo.Call(HttpMethod.Get, "/api/v1/incidents?limit=10", bearer: AdminKey)).GetProperty("incidents").EnumerateArray()
            .Single(i => i.GetProperty("dedup_key").GetString() == "first").GetProperty("id").GetString()!;
        await silo.Call(HttpMethod.Post, $"/api/v1/incidents/{first}/acknowledge", new { }, AdminKey);
        await Until(prometheus, "the counters to move", async () =>
        {
            var accepted = await Sum(prometheus, "escalation_events_total{outcome=\"accepted\"}");
            var opened = await Sum(prometheus, "escalation_incidents_opened_total");
            var acknowledged = await Sum(prometheus, "escalation_incidents_acknowledged_total{priority=\"P1\"}");
            var resolved = await Sum(prometheus, "escalation_incidents_resolved_total{priority=\"P1\"}");
            var open = await Sum(prometheus, "escalation_incidents_open{status=\"acknowledged\"}");
            var ackHistogram = await Sum(prometheus, "escalation_acknowledgement_duration_seconds_count");
            return (accepted == 3 && opened == 2 && acknowledged == 1 && resolved == 1 && open == 1 && ackHistogram == 1,
                $"accepted {accepted}, opened {opened}, acknowledged {acknowledged}, resolved {resolved}, open acknowledged {open}, acknowledgement histogram {ackHistogram}");
        });

        // Every series the rules and the dashboard read, in Prometheus.
        var named = MetricsNamedIn(monitoring);
        Assert.Contains("escalation_deadline_lateness_seconds_bucket", named);
        Assert.Contains("db_client_connection_count", named);
        await Until(prometheus, "every series the rules and dashboard read", async () =>
        {
            var missing = new List<string>();
            foreach (var metric in named)
                if ((await prometheus.Query($"{metric}{{job=\"escalation\"}}")).Count == 0) missing.Add(metric);
            return (missing.Count == 0, "missing: " + string.Join(", ", missing));
        });
        Assert.Contains(await prometheus.Alerts(), a => a is ("EscalationWatchdog", "firing"));

        // The exposition as promtool reads it: our own metrics follow the naming conventions.
        var exposition = await silo.Http.GetStringAsync("/metrics");
        var (_, lintOutput, lintErrors) = await Tool.Run(RealPrometheus.Promtool, ["check", "metrics"], exposition);
        var lint = lintOutput + lintErrors;
        Assert.DoesNotContain("error while linting", lint);
        Assert.DoesNotMatch(new Regex("^escalation_", RegexOptions.Multiline), lint);

        // JSON logs: every line the console wrote is one JSON object.
        var lines = silo.Lines().Where(l => !l.StartsWith("[stderr]", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(l).RootElement.ValueKind));
        Assert.Contains(lines, l => l.Contains("\"Category\":\"Escalation.", StringComparison.Ordinal));
    }

    [Fact, Trait("Category", "Cluster")]
    public async Task The_shipped_alert_rules_are_valid_and_pass_their_own_tests()
    {
        var monitoring = Path.Combine(SiloProcess.RepositoryRoot(), "deploy", "monitoring");
        var (check, checkOutput, checkErrors) = await Tool.Run(RealPrometheus.Promtool, ["check", "rules", Path.Combine(monitoring, "escalation-rules.yml")]);
        Assert.True(check == 0, checkOutput + checkErrors);
        var (test, testOutput, testErrors) = await Tool.Run(RealPrometheus.Promtool, ["test", "rules", Path.Combine(monitoring, "escalation-rules.test.yml")]);
        Assert.True(test == 0, testOutput + testErrors);
        Assert.Contains("SUCCESS", testOutput);
    }

    private static Task Trigger(SiloProcess silo, string routingKey, string dedupKey) =>
        silo.Call(HttpMethod.Post, "/v2/enqueue", new
        {
            routing_key = routingKey, event_action = "trigger", dedup_key = dedupKey,
            payload = new { summary = $"Observability {dedupKey}", source = "observability-test", severity = "critical" },
        }, expected: HttpStatusCode.Accepted);

    /// <summary>Every metric name the shipped rules and dashboard query, but Prometheus's own <c>up</c>.</summary>
    internal static SortedSet<string> MetricsNamedIn(string monitoring)
    {
        var text = File.ReadAllText(Path.Combine(monitoring, "escalation-rules.yml")) + File.ReadAllText(Path.Combine(monitoring, "grafana-dashboard.json"));
        // Label names in "by (...)" look like metric names.
        return [.. MetricName().Matches(Grouping().Replace(text, "")).Select(m => m.Value)];
    }

    [GeneratedRegex(@"\b(escalation|db_client|orleans|http_server|dotnet)_[a-z0-9_]+\b(?=\s*[{\[)])")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"\bby \([^)]*\)")]
    private static partial Regex Grouping();

    private static async Task<double> Sum(RealPrometheus prometheus, string selector) =>
        (await prometheus.Query($"sum({selector})")).Sum(r => r.Value);

    private async Task Until(RealPrometheus prometheus, string what, Func<Task<(bool Done, string State)>> check)
    {
        var stopwatch = Stopwatch.StartNew();
        var state = "";
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(60))
        {
            bool done;
            (done, state) = await check();
            if (done)
            {
                output.WriteLine($"{what}: after {stopwatch.Elapsed.TotalSeconds:F1} s");
                return;
            }
            await Task.Delay(500);
        }
        Assert.Fail($"Waited 60 s for {what}; {state}{Environment.NewLine}{prometheus.Output}");
    }
}
