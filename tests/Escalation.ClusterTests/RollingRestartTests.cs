using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Escalation.Testing;
using Npgsql;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Request = WireMock.RequestBuilders.Request;

namespace Escalation.ClusterTests;

/// <summary>
/// Three silo processes with the environment of deploy/k8s (its ConfigMap; ports and the database aside) under a
/// steady trigger load, restarted one at a time as Kubernetes rolls a Deployment: SIGTERM, the pod leaves the load
/// balancer when its readiness turns 503, it exits, a new one starts and is ready, then the next. Deadlines fall due
/// throughout. No request may get a 5xx, every drained silo must exit cleanly within its grace and leave the cluster,
/// and every incident must page each level exactly once.
/// </summary>
public sealed partial class RollingRestartTests(ITestOutputHelper output) : IDisposable
{
    private const string AdminKey = "rolling-restart-admin-key-4b9e0c";
    private const int SiloCount = 3;
    private static readonly TimeSpan EscalateAfter = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan TriggerEvery = TimeSpan.FromMilliseconds(100);

    private readonly SiloProcess?[] _silos = new SiloProcess?[SiloCount];
    private readonly bool[] _ready = new bool[SiloCount];
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private string _logs = "";
    private bool _passed;

    private sealed record Answer(string DedupKey, int Status, bool Refused, string Silo);

    [Fact, Trait("Category", "Cluster")]
    public async Task A_rolling_restart_under_load_loses_nothing_and_pages_nothing_twice()
    {
        using var slack = WireMockServer.Start();
        slack.Given(Request.Create().WithPath("/api/chat.update").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"ok":true,"channel":"D0PAGE","ts":"1700000000.000100"}"""));
        // Slack takes a second to answer, so that pages are in flight at each SIGTERM: the drain must let them finish.
        slack.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost())
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromSeconds(1)).WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"ok":true,"channel":"D0PAGE","ts":"1700000000.000100"}"""));
        var connectionString = await TestPostgres.CreateDatabase();
        _logs = Directory.CreateTempSubdirectory("escalation-rolling-").FullName;
        var manifest = ConfigMap(Path.Combine(SiloProcess.RepositoryRoot(), "deploy", "k8s", "base", "configmap.yaml"));
        var drainDelay = TimeSpan.Parse(manifest["Escalation__Silo__DrainDelay"]);
        var grace = TimeSpan.Parse(manifest["Escalation__Silo__ShutdownGrace"]);
        var ports = SiloProcess.FreePorts(SiloCount * 2);
        Dictionary<string, string> Environment(int i) => new(manifest)
        {
            ["ASPNETCORE_HTTP_PORTS"] = ports[2 * i + 1].ToString(),
            ["Escalation__Silo__Port"] = ports[2 * i].ToString(),
            ["ConnectionStrings__Escalation"] = connectionString,
            ["Escalation__Auth__BootstrapAdminKey"] = AdminKey,
            ["Escalation__Channels__Slack__BotToken"] = "xoxb-rolling",
            ["Escalation__Channels__Slack__SigningSecret"] = "rolling-signing-secret",
            ["Escalation__Channels__Slack__ApiBaseUrl"] = slack.Url + "/api/",
        };
        SiloProcess Start(int i, int generation) =>
            SiloProcess.Start($"silo{i}", SiloProcess.SiloDll(), ports[2 * i + 1], Environment(i), Path.Combine(_logs, $"silo{i}.{generation}.log"));

        for (var i = 0; i < SiloCount; i++) _silos[i] = Start(i, 0);
        await Task.WhenAll(_silos.Select(s => s!.WaitUntilReady(TimeSpan.FromMinutes(3))));
        var admin = _silos[0]!;
        foreach (var id in new[] { "first", "second" })
            await admin.Call(HttpMethod.Put, $"/api/v1/users/{id}", new
            {
                name = id, slack_user_id = "U" + id.ToUpperInvariant(), time_zone = "Etc/UTC",
                notification_rules = new[] { new { channel = "slack", after = "PT0S", urgency = "any" } },
            }, AdminKey);
        await admin.Call(HttpMethod.Put, "/api/v1/escalation-policies/rolling", new
        {
            name = "Rolling",
            levels = new object[]
            {
                new { escalate_after = $"PT{EscalateAfter.TotalSeconds}S", targets = new[] { new { type = "user", id = "first" } } },
                new { escalate_after = "PT1H", targets = new[] { new { type = "user", id = "second" } } },
            },
        }, AdminKey);
        var routingKey = (await admin.Call(HttpMethod.Put, "/api/v1/services/svc", new { name = "Service", escalation_policy_id = "rolling" }, AdminKey))
            .GetProperty("integration_key").GetString()!;

        // The load balancer: sends to the silos whose /health/ready last answered 200, and tries the next on a refused connection.
        using var stop = new CancellationTokenSource();
        var prober = Probe(stop.Token);
        var answers = new ConcurrentBag<Answer>();
        var load = Load(routingKey, answers, stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(3));

        var restarts = new List<string>();
        await using var db = NpgsqlDataSource.Create(connectionString);
        for (var i = 0; i < SiloCount; i++)
        {
            var old = _silos[i]!;
            var siloPort = ports[2 * i];
            var terminated = _elapsed.Elapsed;
            old.Terminate();
            var notReady = await Until($"silo{i} to answer 503 on /health/ready while it drains", TimeSpan.FromSeconds(5), () => !_ready[i]);
            var exit = await old.Exited(grace + TimeSpan.FromSeconds(5));
            var exitedAfter = _elapsed.Elapsed - terminated;
            Assert.True(exit == 0, $"silo{i} {(exit is null ? "was still running" : $"exited with {exit}")} {exitedAfter.TotalSeconds:F1} s after SIGTERM:{System.Environment.NewLine}{old.Tail(30)}");
            Assert.True(exitedAfter >= drainDelay, $"silo{i} exited {exitedAfter.TotalSeconds:F1} s after SIGTERM, before its drain delay of {drainDelay}");
            Assert.True(await LeftTheCluster(db, siloPort), $"silo{i} did not mark itself dead in the membership table");
            old.Dispose();
            _silos[i] = Start(i, 1);
            await _silos[i]!.WaitUntilReady(TimeSpan.FromMinutes(2));
            var readyAfter = _elapsed.Elapsed - terminated;
            restarts.Add($"silo{i}: out of the balancer {notReady.TotalSeconds:F1} s, exited {exitedAfter.TotalSeconds:F1} s, ready again {readyAfter.TotalSeconds:F1} s after SIGTERM");
            Say(restarts[^1]);
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await load;
        await prober;

        // Every trigger answered; none with a 5xx; each accepted one an incident of its own.
        var all = answers.ToList();
        var errors = all.Where(a => a.Status >= 500).ToList();
        var refused = all.Count(a => a.Refused);
        Say($"{all.Count} triggers: {all.Count(a => a.Status == 202)} accepted, {errors.Count} 5xx, {refused} connections refused and sent to another silo");
        Assert.True(errors.Count == 0, $"5xx during the roll: {string.Join(", ", errors.Take(10).Select(e => $"{e.DedupKey} {e.Status} on {e.Silo}"))}");
        Assert.All(all, a => Assert.Equal(202, a.Status));
        var incidents = await Incidents(db);
        Assert.Equal(all.Select(a => a.DedupKey).Order(), incidents.Keys.Order());

        // Every incident pages level 1 and, at its deadline, level 2: each exactly once.
        var lastCreated = incidents.Values.Max(i => i.CreatedAt);
        await Until("every level-2 page", TimeSpan.FromSeconds(90), () => Pages(slack, "USECOND").Count >= incidents.Count);
        await Task.Delay(TimeSpan.FromSeconds(3)); // a duplicate would come now
        var firstPages = Pages(slack, "UFIRST");
        var secondPages = Pages(slack, "USECOND");
        foreach (var (key, incident) in incidents)
        {
            Assert.True(firstPages.Count(p => p.Body.Contains(incident.Id)) == 1, $"{key} paged level 1 {firstPages.Count(p => p.Body.Contains(incident.Id))} times");
            Assert.True(secondPages.Count(p => p.Body.Contains(incident.Id)) == 1, $"{key} paged level 2 {secondPages.Count(p => p.Body.Contains(incident.Id))} times");
        }
        var lateness = incidents.Values
            .Select(i => (secondPages.Single(p => p.Body.Contains(i.Id)).At - (i.CreatedAt + EscalateAfter)).TotalMilliseconds)
            .Order().ToList();
        Say($"Level-2 pages after their deadline: p50 {Quantile(lateness, 0.5):F0} ms, p99 {Quantile(lateness, 0.99):F0} ms, max {lateness[^1]:F0} ms " +
            $"({incidents.Count} incidents, the last opened {(lastCreated - incidents.Values.Min(i => i.CreatedAt)).TotalSeconds:F0} s after the first)");
        foreach (var line in restarts) Say(line);
        // A page the drained silo had handed to its own bus is taken up by the next owner at once, not after the
        // outbox's re-drive (Escalation:Incidents:RedriveAfter, 30 s).
        Assert.True(lateness[^1] < TimeSpan.FromSeconds(15).TotalMilliseconds, $"a level-2 page came {lateness[^1]:F0} ms after its deadline");
        _passed = true;
    }

    private async Task Probe(CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        while (!stop.IsCancellationRequested)
        {
            for (var i = 0; i < SiloCount; i++)
            {
                try
                {
                    using var response = await http.GetAsync($"http://127.0.0.1:{_silos[i]!.HttpPort}/health/ready", stop);
                    _ready[i] = response.StatusCode == HttpStatusCode.OK;
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException or NullReferenceException)
                {
                    _ready[i] = false;
                }
            }
            try { await Task.Delay(TimeSpan.FromMilliseconds(200), stop); } catch (OperationCanceledException) { }
        }
    }

    private async Task Load(string routingKey, ConcurrentBag<Answer> answers, CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var sent = 0;
        var inFlight = new List<Task>();
        while (!stop.IsCancellationRequested)
        {
            var key = $"roll-{sent++:D5}";
            inFlight.Add(Send(http, routingKey, key, sent, answers));
            try { await Task.Delay(TriggerEvery, stop); } catch (OperationCanceledException) { }
        }
        await Task.WhenAll(inFlight);
    }

    /// <summary>One trigger through the balancer: to a ready silo, and on to the next when the connection is refused.</summary>
    private async Task Send(HttpClient http, string routingKey, string key, int n, ConcurrentBag<Answer> answers)
    {
        var refused = false;
        var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        for (var tries = 0; DateTime.UtcNow < giveUp; tries++)
        {
            var ready = Enumerable.Range(0, SiloCount).Where(i => _ready[i]).ToList();
            if (ready.Count == 0)
            {
                await Task.Delay(100);
                continue;
            }
            var i = ready[(n + tries) % ready.Count];
            var silo = _silos[i]!;
            try
            {
                using var response = await http.PostAsync($"http://127.0.0.1:{silo.HttpPort}/v2/enqueue", JsonContent(routingKey, key));
                answers.Add(new Answer(key, (int)response.StatusCode, refused, silo.Name));
                return;
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError)
            {
                refused = true;
            }
        }
        answers.Add(new Answer(key, 0, refused, "none"));
    }

    private static StringContent JsonContent(string routingKey, string key) => new(System.Text.Json.JsonSerializer.Serialize(new
    {
        routing_key = routingKey, event_action = "trigger", dedup_key = key,
        payload = new { summary = $"Rolling {key}", source = "rolling-test", severity = "critical" },
    }), System.Text.Encoding.UTF8, "application/json");

    private static async Task<bool> LeftTheCluster(NpgsqlDataSource db, int siloPort)
    {
        await using var cmd = db.CreateCommand("SELECT status FROM orleansmembershiptable WHERE port = $1 ORDER BY generation DESC LIMIT 1");
        cmd.Parameters.AddWithValue(siloPort);
        return await cmd.ExecuteScalarAsync() is int status && status == 6; // SiloStatus.Dead
    }

    private sealed record StoredIncident(string Id, DateTimeOffset CreatedAt);

    private static async Task<Dictionary<string, StoredIncident>> Incidents(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand("SELECT dedup_key, id, created_at FROM incidents");
        await using var reader = await cmd.ExecuteReaderAsync();
        var incidents = new Dictionary<string, StoredIncident>();
        while (await reader.ReadAsync()) incidents.Add(reader.GetString(0), new StoredIncident(reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        return incidents;
    }

    private static List<(string Body, DateTimeOffset At)> Pages(WireMockServer slack, string user) =>
        [.. slack.LogEntries.Select(e => e.RequestMessage!)
            .Where(r => r.Body is { } body && ChannelOf().Match(body) is { Success: true } m && m.Groups[1].Value == user)
            .Select(r => (r.Body!, new DateTimeOffset(r.DateTime, TimeSpan.Zero)))];

    [GeneratedRegex("\"channel\":\"([A-Z0-9]+)\"")]
    private static partial Regex ChannelOf();

    private static double Quantile(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    /// <summary>The data of a ConfigMap of flat <c>key: "value"</c> lines.</summary>
    internal static Dictionary<string, string> ConfigMap(string path)
    {
        var data = new Dictionary<string, string>();
        var inData = false;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("data:", StringComparison.Ordinal)) { inData = true; continue; }
            if (!inData || line.TrimStart().StartsWith('#') || line.Trim().Length == 0) continue;
            if (!line.StartsWith("  ", StringComparison.Ordinal)) break;
            var colon = line.IndexOf(':');
            data[line[..colon].Trim()] = line[(colon + 1)..].Trim().Trim('"');
        }
        Assert.NotEmpty(data);
        return data;
    }

    private async Task<TimeSpan> Until(string what, TimeSpan timeout, Func<bool> done)
    {
        var started = Stopwatch.StartNew();
        while (!done())
        {
            if (started.Elapsed > timeout) Assert.Fail($"Waited {timeout} for {what}");
            await Task.Delay(50);
        }
        return started.Elapsed;
    }

    private void Say(string line) => output.WriteLine($"[{_elapsed.Elapsed.TotalSeconds,6:F1} s] {line}");

    public void Dispose()
    {
        foreach (var silo in _silos)
        {
            if (silo is null) continue;
            if (!_passed) output.WriteLine($"---- last lines of {silo.Name} ----{System.Environment.NewLine}{silo.Tail(15)}");
            silo.Dispose();
        }
        output.WriteLine($"Silo logs: {_logs}");
    }
}
