using System.Net;
using System.Text.Json.Nodes;
using Escalation.Testing;
using Escalation.Tests.Api;
using Escalation.Tests.Channels;
using Npgsql;
using Xunit.Abstractions;

namespace Escalation.Tests.Outages;

/// <summary>
/// PostgreSQL stopped under the running service, then started again: callers are told to come back (503 with
/// Retry-After), never a 500, and the service carries on by itself once the database is back.
/// </summary>
[Trait("Category", "Outage")]
public sealed partial class DatabaseOutageTests(OutagePostgres postgres, ITestOutputHelper output) : IClassFixture<OutagePostgres>
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RecoveryAllowed = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Triggers_during_an_outage_are_answered_503_with_Retry_After_and_every_accepted_one_is_an_incident()
    {
        await using var app = await EscalationApp.StartAsync(await postgres.Server.CreateDatabase());
        var admin = app.Client();
        var routingKey = await OnCallApi.Configure(admin);
        var load = new TriggerLoad(app.Client(key: null), routingKey, "load");

        load.Start(senders: 2, gap: TimeSpan.FromMilliseconds(100));
        await Task.Delay(TimeSpan.FromSeconds(2));
        await postgres.Server.Stop();
        var down = load.Now;
        TimeSpan restarting, up;
        try
        {
            await Task.Delay(Outage);
        }
        finally
        {
            restarting = load.Now;
            await postgres.Server.Restart();
            up = load.Now;
        }
        var recovered = await Eventually.Get(() => Task.FromResult(load.Answers.FirstOrDefault(a => a.SentAt > up && a.Status == HttpStatusCode.Accepted)),
            a => a is not null, "a trigger accepted after the outage", RecoveryAllowed + TimeSpan.FromSeconds(5));
        await Task.Delay(TimeSpan.FromSeconds(2));
        await load.Stop();

        var answers = load.Answers;
        var during = answers.Where(a => a.SentAt > down && a.SentAt < restarting).ToList();
        output.WriteLine($"{answers.Count} triggers: {string.Join(", ", answers.GroupBy(a => (int)a.Status).Select(g => $"{g.Count()} × {g.Key}"))}; " +
            $"{during.Count} while the database was down; the first accepted {(recovered!.SentAt - up).TotalSeconds:F1} s after its return");
        NoneBut(answers, a => a.Status is HttpStatusCode.Accepted or HttpStatusCode.ServiceUnavailable, "answered neither 202 nor 503");
        Assert.True(during.Count > 20, $"only {during.Count} triggers were sent during the outage");
        NoneBut(during, a => a.Status == HttpStatusCode.ServiceUnavailable, "sent while the database was down were not answered 503");
        NoneBut(answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable),
            a => a.MediaType == "application/problem+json" && a.RetryAfter is not null && !a.Body.Contains("   at "),
            "answered 503 lack problem+json or Retry-After, or show a stack trace");
        Assert.True(recovered.SentAt - up < RecoveryAllowed, $"the first trigger accepted after the outage came {(recovered.SentAt - up).TotalSeconds:F1} s after it");
        NoneBut(answers.Where(a => a.SentAt > recovered.SentAt + TimeSpan.FromSeconds(1)), a => a.Status == HttpStatusCode.Accepted,
            "sent a second after the first accepted one were not accepted");

        // The monitor sends every event again. An accepted one must already be an incident (the repeat is its second
        // alert); a refused one becomes one now, once: nothing was left half-made or made twice.
        var accepted = answers.Where(a => a.Status == HttpStatusCode.Accepted).Select(a => a.DedupKey).ToHashSet();
        foreach (var key in answers.Select(a => a.DedupKey))
            Assert.Equal(HttpStatusCode.Accepted, (await load.Send(key)).Status);
        var incidents = await Incidents(app.ConnectionString);
        Assert.Equal(answers.Count, incidents.Count);
        Assert.All(answers, a => Assert.Equal(1, incidents.Count(i => i.DedupKey == a.DedupKey)));
        Assert.All(incidents.Where(i => accepted.Contains(i.DedupKey)), i => Assert.True(i.Alerts == 2, $"{i.DedupKey} counts {i.Alerts} alerts"));
        Assert.All(incidents, i => Assert.Equal("triggered", i.Status));
    }

    [Fact]
    public async Task While_the_database_is_down_the_API_and_the_webhooks_answer_503_and_the_silo_stays_ready()
    {
        using var fakes = new ProviderFakes();
        var settings = fakes.Settings();
        settings["Escalation:Metrics:ReadEvery"] = "00:00:00.2";
        await using var app = await EscalationApp.StartAsync(await postgres.Server.CreateDatabase(), settings);
        var admin = app.Client();
        var routingKey = await OnCallApi.Configure(admin);
        await admin.PutJson("/api/v1/users/oncall", new { name = "On Call", slack_user_id = "UONCALL", time_zone = "Asia/Tokyo" }).Ok();
        var open = await admin.PostJson("/api/v1/incidents", new { service_id = "api", title = "Before the outage", severity = "critical" }).Ok();
        var anonymous = app.Client(key: null);

        await postgres.Server.Stop();
        try
        {
            var ready = await anonymous.GetAsync("/health/ready");
            var body = await ready.Content.ReadAsStringAsync();
            Assert.True(ready.StatusCode == HttpStatusCode.OK, $"{(int)ready.StatusCode}: {body}");
            var health = JsonNode.Parse(body)!;
            Assert.Equal("Unhealthy", health["checks"]!["database"]!.Str("status"));
            Assert.Equal("Healthy", health["checks"]!["silo"]!.Str("status"));
            Assert.Equal("Degraded", health.Str("status"));

            await Unavailable(admin.GetAsync("/api/v1/incidents"));
            await Unavailable(admin.GetAsync("/api/v1/users/oncall"));
            await Unavailable(admin.PutJson("/api/v1/users/newcomer", new { name = "Newcomer", time_zone = "Etc/UTC" }));
            await Unavailable(admin.PostJson("/api/v1/incidents", new { service_id = "api", title = "During the outage", severity = "critical" }));
            await Unavailable(anonymous.PostJson("/v2/enqueue", OnCallApi.Trigger(routingKey, "during-the-outage")));
            await Unavailable(anonymous.PostJson("/v2/change/enqueue", new { routing_key = routingKey, payload = new { summary = "Deploy during the outage" } }));
            await Unavailable(admin.GetAsync("/api/v1/services/api/changes"));
            await Unavailable(SlackButton(app, fakes, "incident.acknowledge", open.Str("id")));
            await Unavailable(Twilio.Status(app, "SMoutage0001", "delivered"));

            // What Prometheus scrapes meanwhile: the outage, and the alert turned away for it.
            var metrics = await Eventually.Get(() => anonymous.GetStringAsync("/metrics"),
                m => m.Contains("escalation_database_up{otel_scope_name=\"Escalation\"} 0"), "the metrics to show the database down");
            // (Other test hosts in this process share the meter's name, so the count is not asserted.)
            Assert.Contains("escalation_events_total{otel_scope_name=\"Escalation\",outcome=\"rejected\",reason=\"unavailable\",source=\"events_v2\"}", metrics);
        }
        finally
        {
            await postgres.Server.Restart();
        }

        await Eventually.Get(async () => await (await anonymous.GetAsync("/health/ready")).Json(),
            h => h["checks"]!["database"]!.Str("status") == "Healthy", "the database reported healthy again");
        await admin.PutJson("/api/v1/users/newcomer", new { name = "Newcomer", time_zone = "Etc/UTC" }).Ok();
        Assert.Equal(HttpStatusCode.OK, (await SlackButton(app, fakes, "incident.acknowledge", open.Str("id"))).StatusCode);
        Assert.Equal("acknowledged", (await admin.GetAsync($"/api/v1/incidents/{open.Str("id")}").Ok()).Str("status"));
    }

    /// <summary>503, problem+json, no stack trace, and when to come back.</summary>
    private static async Task Unavailable(Task<HttpResponseMessage> call)
    {
        var response = await call;
        await Task.FromResult(response).Problem(503);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
    }

    private static Task<HttpResponseMessage> SlackButton(EscalationApp app, ProviderFakes fakes, string action, string incidentId)
    {
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = "UONCALL", ["username"] = "oncall" },
            ["actions"] = new JsonArray(new JsonObject { ["action_id"] = action, ["value"] = incidentId, ["type"] = "button" }),
            ["response_url"] = $"{fakes.Slack.Url}/actions/T0/{Guid.NewGuid():N}",
        };
        var body = "payload=" + Uri.EscapeDataString(payload.ToJsonString());
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/slack/interactions")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Slack-Request-Timestamp", $"{now}");
        request.Headers.Add("X-Slack-Signature", ProviderSignatures.Slack(ProviderFakes.SlackSigningSecret, now, body));
        return app.Client(key: null).SendAsync(request);
    }

    private static void NoneBut(IEnumerable<TriggerLoad.Answer> answers, Func<TriggerLoad.Answer, bool> expected, string what)
    {
        var wrong = answers.Where(a => !expected(a)).ToList();
        Assert.True(wrong.Count == 0, wrong.Count == 0 ? "" :
            $"{wrong.Count} triggers {what}; the first, {wrong[0].DedupKey}, got {(int)wrong[0].Status} {wrong[0].MediaType}: {wrong[0].Body}");
    }

    private sealed record ListedIncident(string DedupKey, string Status, int Alerts);

    /// <summary>The incident list as the API reads it, every row of it.</summary>
    private static async Task<List<ListedIncident>> Incidents(string connectionString)
    {
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var cmd = db.CreateCommand("SELECT dedup_key, status, alert_count FROM incidents");
        await using var reader = await cmd.ExecuteReaderAsync();
        var incidents = new List<ListedIncident>();
        while (await reader.ReadAsync()) incidents.Add(new ListedIncident(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        return incidents;
    }
}
