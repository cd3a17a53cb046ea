using System.Net;
using Escalation.Testing;
using Npgsql;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using Request = WireMock.RequestBuilders.Request;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Escalation.ClusterTests;

/// <summary>
/// The same kill, in the middle of sends to a provider: Slack (a WireMock fake) answers half the pages at once and
/// takes three seconds over the other half, and a silo is SIGKILLed once the quick ones are recorded, while the slow
/// ones are in flight. Every page must still arrive, and no page whose send was recorded
/// may be sent again. A page the provider got but whose send died unrecorded may arrive twice: no provider here has an
/// idempotency key, and twice beats never.
/// </summary>
public sealed partial class SiloKillTests
{
    private const int MidSendIncidents = 16;

    [Fact, Trait("Category", "Cluster")]
    public Task A_silo_killed_mid_send_loses_no_page_and_sends_none_twice_that_was_recorded() => WithSiloLogsOnFailure(RunMidSend);

    private async Task RunMidSend()
    {
        var connectionString = await TestPostgres.CreateDatabase();
        using var slack = WireMockServer.Start();
        const string answer = """{"ok":true,"channel":"D0ONCALL","ts":"1700000000.000100"}""";
        slack.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost()).AtPriority(10)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(answer));
        slack.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost().WithBody(new WildcardMatcher("*Slow incident*"))).AtPriority(1)
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromSeconds(3)).WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(answer));

        var siloDll = SiloDll();
        _logDirectory = Directory.CreateTempSubdirectory("escalation-midsend-").FullName;
        var ports = SiloProcess.FreePorts(4);
        for (var i = 0; i < 2; i++)
        {
            var environment = new Dictionary<string, string>
            {
                ["ConnectionStrings__Escalation"] = connectionString,
                ["Escalation__Silo__Port"] = ports[2 * i].ToString(),
                ["Escalation__Silo__ProbeTimeoutSeconds"] = "1",
                ["Escalation__Incidents__RedriveAfter"] = "00:00:05",
                ["Escalation__Delivery__AttemptLease"] = "00:00:06",
                ["Escalation__Delivery__ProviderTimeout"] = "00:00:04",
                ["Escalation__Channels__Slack__BotToken"] = "xoxb-cluster",
                ["Escalation__Channels__Slack__SigningSecret"] = "cluster-signing-secret",
                ["Escalation__Channels__Slack__ApiBaseUrl"] = slack.Url + "/api/",
                ["Urls"] = $"http://127.0.0.1:{ports[2 * i + 1]}",
                ["Escalation__Auth__BootstrapAdminKey"] = AdminKey,
                ["Escalation__Demo__Enabled"] = "false",
                ["DOTNET_ENVIRONMENT"] = "Production",
            };
            _silos.Add(SiloProcess.Start($"silo{i}", siloDll, ports[2 * i + 1], environment, Path.Combine(_logDirectory, $"silo{i}.log")));
        }
        await Task.WhenAll(_silos.Select(WaitUntilReady));

        var admin = _silos[1];
        await Call(admin, HttpMethod.Put, "/api/v1/users/oncall", new
        {
            name = "On Call", slack_user_id = "UONCALL", time_zone = "Etc/UTC",
            notification_rules = new[] { new { channel = "slack", after = "PT0S", urgency = "any" } },
        });
        await Call(admin, HttpMethod.Put, "/api/v1/escalation-policies/one", new
        {
            name = "One", levels = new[] { new { escalate_after = "PT10M", targets = new[] { new { type = "user", id = "oncall" } } } },
        });
        var routingKey = (await Call(admin, HttpMethod.Put, "/api/v1/services/svc", new { name = "Service", escalation_policy_id = "one" }))
            .GetProperty("integration_key").GetString()!;

        for (var i = 0; i < MidSendIncidents; i++)
        {
            await Call(_silos[i % 2], HttpMethod.Post, "/v2/enqueue", new
            {
                routing_key = routingKey, event_action = "trigger", dedup_key = $"midsend-{i:D2}",
                payload = new { summary = $"{(i % 2 == 0 ? "Quick" : "Slow")} incident {i}", source = "cluster-test", severity = "critical" },
            }, authenticated: false, expected: HttpStatusCode.Accepted);
        }

        // Kill once the quick pages are recorded, while the slow ones still wait for Slack's answer.
        await using var db = NpgsqlDataSource.Create(connectionString);
        await Until("the quick pages to be recorded as sent", TimeSpan.FromSeconds(30),
            async () => (await SentPages(db)).Count >= MidSendIncidents / 2);
        var recordedBeforeKill = await SentPages(db);
        _silos[0].Kill();
        Say($"Killed silo0 with {recordedBeforeKill.Count} of {MidSendIncidents} sends recorded");
        Assert.InRange(recordedBeforeKill.Count, 1, MidSendIncidents - 1); // the kill fell mid-send

        var incidents = (await Call(admin, HttpMethod.Get, "/api/v1/incidents?limit=100")).GetProperty("incidents").EnumerateArray()
            .Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.Equal(MidSendIncidents, incidents.Count);
        await Until("every page to be recorded as sent", TimeSpan.FromSeconds(90),
            async () => (await SentPages(db)).Count == MidSendIncidents);

        var requests = slack.LogEntries.Select(e => e.RequestMessage!.Body!).ToList();
        var perIncident = incidents.ToDictionary(id => id, id => requests.Count(body => body.Contains(id)));
        Assert.All(perIncident, p => Assert.True(p.Value >= 1, $"The page of {p.Key} never reached Slack."));
        foreach (var notification in recordedBeforeKill)
        {
            var incident = notification.Split('/')[0];
            Assert.True(perIncident[incident] == 1, $"{notification} was recorded as sent before the kill, yet Slack got it {perIncident[incident]} times.");
        }
        var resent = perIncident.Where(p => p.Value > 1).Select(p => p.Key).ToList();
        Say($"Every page reached Slack; {recordedBeforeKill.Count} recorded before the kill were not sent again; " +
            $"{resent.Count} in flight at the kill were sent again after the takeover");
    }

    private static async Task<List<string>> SentPages(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand("SELECT notification_id FROM notification_deliveries WHERE status = 'sent' AND incident_id IS NOT NULL");
        await using var reader = await cmd.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }
}
