using System.Collections.Concurrent;
using System.Net;
using Escalation.Testing;
using Npgsql;

namespace Escalation.ClusterTests;

/// <summary>
/// A silo SIGKILLed while it takes triggers in: its writes are group-committed, so the kill falls mid-batch. Every
/// trigger it answered 202 must be an incident afterwards (202 means durable), once, and paged: the pages it handed
/// to its in-memory bus died with it, and the incidents' deadlines (the re-drive) bring them back on the survivor.
/// </summary>
public sealed partial class SiloKillTests
{
    private const int IngestSenders = 16;

    [Fact, Trait("Category", "Cluster")]
    public Task A_silo_killed_mid_batch_loses_no_accepted_trigger_and_pages_each_once() => WithSiloLogsOnFailure(RunMidIngest);

    private async Task RunMidIngest()
    {
        var connectionString = await TestPostgres.CreateDatabase();
        var siloDll = SiloDll();
        _logDirectory = Directory.CreateTempSubdirectory("escalation-midingest-").FullName;
        var ports = SiloProcess.FreePorts(4);
        for (var i = 0; i < 2; i++)
        {
            var environment = new Dictionary<string, string>
            {
                ["ConnectionStrings__Escalation"] = connectionString,
                ["Escalation__Silo__Port"] = ports[2 * i].ToString(),
                ["Escalation__Silo__ProbeTimeoutSeconds"] = "1",
                ["Escalation__Incidents__RedriveAfter"] = "00:00:05",
                ["Urls"] = $"http://127.0.0.1:{ports[2 * i + 1]}",
                ["Escalation__Auth__BootstrapAdminKey"] = AdminKey,
                ["Escalation__Demo__Enabled"] = "false",
                ["DOTNET_ENVIRONMENT"] = "Production",
            };
            _silos.Add(SiloProcess.Start($"silo{i}", siloDll, ports[2 * i + 1], environment, Path.Combine(_logDirectory, $"silo{i}.log")));
        }
        await Task.WhenAll(_silos.Select(WaitUntilReady));

        var survivor = _silos[1];
        await Call(survivor, HttpMethod.Put, "/api/v1/users/oncall", new
        {
            name = "On Call", email = "oncall@example.com", time_zone = "Etc/UTC",
            notification_rules = new[] { new { channel = "email", after = "PT0S", urgency = "any" } },
        });
        await Call(survivor, HttpMethod.Put, "/api/v1/escalation-policies/one", new
        {
            name = "One", levels = new[] { new { escalate_after = "PT30M", targets = new[] { new { type = "user", id = "oncall" } } } },
        });
        var routingKey = (await Call(survivor, HttpMethod.Put, "/api/v1/services/svc", new { name = "Service", escalation_policy_id = "one" }))
            .GetProperty("integration_key").GetString()!;

        // Senders trigger through the silo to be killed until it dies under them.
        var accepted = new ConcurrentBag<string>();
        var next = 0;
        var victim = _silos[0];
        async Task Send()
        {
            while (!victim.Killed)
            {
                var key = $"ingest-{Interlocked.Increment(ref next):D6}";
                try
                {
                    await Call(victim, HttpMethod.Post, "/v2/enqueue", new
                    {
                        routing_key = routingKey, event_action = "trigger", dedup_key = key,
                        payload = new { summary = $"Ingest {key}", source = "cluster-test", severity = "critical" },
                    }, authenticated: false, expected: HttpStatusCode.Accepted);
                    accepted.Add(key);
                }
                catch (Exception) when (victim.Killed)
                {
                }
            }
        }
        var senders = Enumerable.Range(0, IngestSenders).Select(_ => Task.Run(Send)).ToList();
        await Until("some triggers to be accepted", TimeSpan.FromSeconds(30), () => Task.FromResult(accepted.Count >= 200));
        victim.Kill();
        await Task.WhenAll(senders);
        Say($"Killed silo0 after {accepted.Count} accepted triggers");

        await using var db = NpgsqlDataSource.Create(connectionString);
        var incidents = await IncidentsByKey(db);
        var lost = accepted.Where(k => !incidents.ContainsKey(k)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} triggers answered 202 have no incident: {string.Join(", ", lost.Take(5))}");
        Assert.All(incidents, i => Assert.Equal(1, i.Value));
        await Until("every accepted incident to be paged", TimeSpan.FromSeconds(90), async () =>
        {
            var paged = await PagedKeys(db);
            return accepted.All(paged.Contains);
        });
    }

    private static async Task<Dictionary<string, int>> IncidentsByKey(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand("SELECT dedup_key, count(*)::int FROM incidents GROUP BY dedup_key");
        await using var reader = await cmd.ExecuteReaderAsync();
        var found = new Dictionary<string, int>();
        while (await reader.ReadAsync()) found[reader.GetString(0)] = reader.GetInt32(1);
        return found;
    }

    private static async Task<HashSet<string>> PagedKeys(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand("""
            SELECT i.dedup_key FROM notification_deliveries d JOIN incidents i ON i.id = d.incident_id
            WHERE d.status = 'sent' AND d.notification_id LIKE '%/oncall/%'
            """);
        await using var reader = await cmd.ExecuteReaderAsync();
        var keys = new HashSet<string>();
        while (await reader.ReadAsync()) keys.Add(reader.GetString(0));
        return keys;
    }
}
