using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Escalation.Storage.Integrations;
using Escalation.Testing;
using Escalation.Tests.Api;
using Escalation.Tests.Integrations.Sources.CloudMonitoring;
using Escalation.Tests.Integrations.Sources.Sentry;
using Escalation.Tests.Integrations.Sources.Webhook;

namespace Escalation.Tests.Integrations;

/// <summary>
/// Each source end to end through the HTTP pipeline: a service and an integration made through the admin API, the
/// tool's payload posted to the integration's URL, then the incident, its priority, links and pages as the API shows them.
/// </summary>
public sealed class SourcesEndToEndTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const string SentryClientSecret = "0c3f1e7a9b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e";
    private const string SentryIssueId = "1117540176";
    private const string SentryIssuePage = "https://sentry.io/organizations/test-org/issues/1117540176/";
    private const string CloudMonitoringIncidentPage =
        "https://console.cloud.google.com/monitoring/alerting/incidents/0.lxfiw61fsv7p?project=internal-project";

    private readonly HttpClient _admin = fixture.App.Client();
    private readonly HttpClient _tool = fixture.App.Client(key: null);

    [Fact]
    public async Task A_signed_sentry_issue_alert_pages_with_the_issue_link_and_the_issue_resolved_resolves_it()
    {
        var path = PathOf(await Integration("e2e-sentry", new { type = "sentry", name = "Sentry", signing_secret = SentryClientSecret }));

        var forged = await SendSentry(path, "event_alert", SentryFixtures.IssueAlert, signature: Sign(SentryFixtures.IssueAlert, "not-the-client-secret"))
            .Problem(401);
        Assert.Contains("Sentry-Hook-Signature", forged.Str("detail"));
        await FindNone("e2e-sentry", SentryIssueId);

        var response = await SendSentry(path, "event_alert", SentryFixtures.IssueAlert);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var incident = await FindIncident("e2e-sentry", SentryIssueId);
        Assert.Equal("triggered", incident.Str("status"));
        Assert.Equal("ReferenceError: heck is not defined", incident.Str("title"));
        Assert.Equal("P2", incident["routing"]!.Str("priority")); // Sentry's "error" level
        Assert.Contains(incident["links"]!.AsArray(), l => l!.Str("href") == SentryIssuePage && l!.Str("text") == "Sentry issue");
        await Paged(incident);

        await SendSentry(path, "issue", SentryFixtures.IssueResolved).Ok();
        Assert.Equal("resolved", (await Incident(incident.Str("id"))).Str("status"));
    }

    [Fact]
    public async Task A_sentry_issue_of_another_action_than_resolved_leaves_the_incident_open()
    {
        var path = PathOf(await Integration("e2e-sentry-triage", new { type = "sentry", name = "Sentry", signing_secret = SentryClientSecret }));
        await SendSentry(path, "event_alert", SentryFixtures.IssueAlert).Ok();
        var incident = await FindIncident("e2e-sentry-triage", SentryIssueId);

        var assigned = await SendSentry(path, "issue", SentryFixtures.IssueResolved.Replace("\"action\": \"resolved\"", "\"action\": \"assigned\"")).Ok();
        Assert.Equal("ignored", assigned.Str("status"));
        Assert.Equal("triggered", (await Incident(incident.Str("id"))).Str("status"));
    }

    [Fact]
    public async Task The_unsigned_legacy_sentry_plugin_payload_opens_an_incident_that_pages()
    {
        var path = PathOf(await Integration("e2e-sentry-legacy", new { type = "sentry", name = "Sentry plugin" }));

        var response = await _tool.PostRaw(path, SentryFixtures.LegacyPlugin);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var incident = await FindIncident("e2e-sentry-legacy", SentryIssueId);
        Assert.Equal("ReferenceError: heck is not defined", incident.Str("title"));
        Assert.Equal("P1", incident["routing"]!.Str("priority")); // "fatal"
        Assert.Equal("from severity critical", incident["routing"]!.Str("priority_reason"));
        Assert.Contains(incident["links"]!.AsArray(), l => l!.Str("href") == "https://test-org.sentry.io/issues/1117540176/?referrer=webhooks_plugin");
        await Paged(incident);
    }

    [Fact]
    public async Task A_cloud_monitoring_incident_with_the_token_in_the_url_opens_with_its_severity_and_closes()
    {
        var path = PathOf(await Integration("e2e-gcm-url", new { type = "cloud-monitoring", name = "Cloud Monitoring" }));

        var response = await _tool.PostRaw(path, CloudMonitoringSourceTests.Open.Replace("\"CRITICAL\"", "\"ERROR\""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var incident = await FindIncident("e2e-gcm-url", "0.opqiw61fsv7p");
        Assert.StartsWith("CPU utilization for internal-project", incident.Str("title"));
        Assert.Equal("P2", incident["routing"]!.Str("priority"));
        Assert.Equal("from severity error", incident["routing"]!.Str("priority_reason"));
        Assert.Equal([CloudMonitoringIncidentPage, "https://wiki.example.com/playbook/cpu"],
            incident["links"]!.AsArray().Select(l => l!.Str("href")));
        await Paged(incident);

        await _tool.PostRaw(path, CloudMonitoringSourceTests.Closed).Ok();
        Assert.Equal("resolved", (await Incident(incident.Str("id"))).Str("status"));
    }

    [Fact]
    public async Task A_cloud_monitoring_incident_sent_with_basic_auth_opens_and_closes()
    {
        var created = await Integration("e2e-gcm-basic", new { type = "cloud-monitoring", name = "Cloud Monitoring" });
        var withoutSecret = $"/integrations/{created.Str("id")}";
        var credentials = Basic("cloud-monitoring", PathOf(created).Split('/')[^1]);
        var open = CloudMonitoringSourceTests.Open.Replace("\"CRITICAL\"", "\"WARNING\"");

        await Send(withoutSecret, open, Basic("cloud-monitoring", "ein_wrong")).Problem(401);
        await FindNone("e2e-gcm-basic", "0.opqiw61fsv7p");

        Assert.Equal(HttpStatusCode.Accepted, (await Send(withoutSecret, open, credentials)).StatusCode);
        var incident = await FindIncident("e2e-gcm-basic", "0.opqiw61fsv7p");
        Assert.Equal("P3", incident["routing"]!.Str("priority"));
        Assert.Contains(incident["links"]!.AsArray(), l => l!.Str("href") == CloudMonitoringIncidentPage);
        await Paged(incident);

        await Send(withoutSecret, CloudMonitoringSourceTests.Closed, credentials).Ok();
        Assert.Equal("resolved", (await Incident(incident.Str("id"))).Str("status"));
    }

    [Fact]
    public async Task A_webhook_with_the_uptimerobot_preset_opens_on_down_and_resolves_on_up()
    {
        var path = PathOf(await Integration("e2e-uptimerobot", new { type = "webhook", name = "UptimeRobot", settings = new { preset = "uptimerobot" } }));

        var down = await _tool.PostRaw(path, WebhookSourceTests.UptimeRobot(1, "Down", "Connection Timeout"));
        Assert.Equal(HttpStatusCode.Accepted, down.StatusCode);
        var incident = await FindIncident("e2e-uptimerobot", "uptimerobot-793815678");
        Assert.Equal("API health is Down: Connection Timeout", incident.Str("title"));
        Assert.Equal("P1", incident["routing"]!.Str("priority"));
        Assert.Contains(incident["links"]!.AsArray(), l => l!.Str("href") == "https://dashboard.uptimerobot.com/monitors/793815678");
        await Paged(incident);

        await _tool.PostRaw(path, WebhookSourceTests.UptimeRobot(2, "Up", "")).Ok();
        Assert.Equal("resolved", (await Incident(incident.Str("id"))).Str("status"));
    }

    [Fact]
    public async Task An_alertmanager_alert_without_a_severity_label_is_a_P1_that_pages()
    {
        var path = PathOf(await Integration("e2e-am-nosev", new { type = "alertmanager", name = "prometheus" }, slackChannel: "C0E2E"));

        await _tool.PostRaw(path, OneAlert("am-nosev", severity: null)).Ok();
        var incident = await FindIncident("e2e-am-nosev", "am-nosev");
        Assert.Equal("P1", incident["routing"]!.Str("priority"));
        Assert.Equal("no severity: when in doubt, P1", incident["routing"]!.Str("priority_reason"));
        Assert.Equal("page", incident["routing"]!.Str("action"));
        var notifications = await Paged(incident);
        Assert.Contains(notifications.AsArray(), n => n!.Str("kind") == "channel_post");
    }

    [Fact]
    public async Task An_alertmanager_alert_of_severity_info_is_a_P4_that_only_posts_to_the_channel()
    {
        var path = PathOf(await Integration("e2e-am-info", new { type = "alertmanager", name = "prometheus" }, slackChannel: "C0E2E"));

        await _tool.PostRaw(path, OneAlert("am-info", severity: "info")).Ok();
        var incident = await FindIncident("e2e-am-info", "am-info");
        Assert.Equal("P4", incident["routing"]!.Str("priority"));
        Assert.Equal("post_only", incident["routing"]!.Str("action"));

        var notifications = await Eventually.Get(() => Notifications(incident), n => n.AsArray().Any(x => x!.Str("status") == "sent"), "the channel post");
        Assert.Equal(["channel_post"], notifications.AsArray().Select(n => n!.Str("kind")));
        Assert.Equal("C0E2E", notifications[0]!.Str("slack_channel"));
        Assert.DoesNotContain((await Incident(incident.Str("id")))["timeline"]!.AsArray(), e => e!.Str("message").StartsWith("Paged "));
    }

    /// <summary>A service of its own on the fixture's escalation policy, and an integration on it.</summary>
    private async Task<JsonNode> Integration(string serviceId, object integration, string? slackChannel = null)
    {
        var service = new JsonObject { ["name"] = serviceId, ["escalation_policy_id"] = "default", ["slack_channel"] = slackChannel };
        await _admin.PutJson($"/api/v1/services/{serviceId}", service).Ok();
        return await _admin.PostJson($"/api/v1/services/{serviceId}/integrations", integration).Ok();
    }

    private static string PathOf(JsonNode created) => new Uri(created.Str("url")).AbsolutePath;

    private static string OneAlert(string fingerprint, string? severity)
    {
        var labels = new JsonObject { ["alertname"] = "DiskFilling", ["instance"] = "db-1:9100" };
        if (severity is not null) labels["severity"] = severity;
        return new JsonObject
        {
            ["version"] = "4",
            ["status"] = "firing",
            ["receiver"] = "escalation",
            ["alerts"] = new JsonArray(new JsonObject
            {
                ["status"] = "firing",
                ["fingerprint"] = fingerprint,
                ["labels"] = labels,
                ["annotations"] = new JsonObject { ["summary"] = "Disk filling on db-1" },
            }),
        }.ToJsonString();
    }

    /// <summary>The lowercase hex HMAC-SHA256 of the body keyed with the client secret, as Sentry signs.</summary>
    private static string Sign(string body, string secret = SentryClientSecret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    /// <summary>An integration-platform webhook with the headers Sentry sends, signed unless told otherwise.</summary>
    private Task<HttpResponseMessage> SendSentry(string path, string resource, string body, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Request-ID", Guid.NewGuid().ToString("N"));
        request.Headers.Add("Sentry-Hook-Resource", resource);
        request.Headers.Add("Sentry-Hook-Timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Sentry-Hook-Signature", signature ?? Sign(body));
        return _tool.SendAsync(request);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private Task<HttpResponseMessage> Send(string path, string body, AuthenticationHeaderValue auth)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = auth;
        return _tool.SendAsync(request);
    }

    /// <summary>The service's newest incident of the dedup key, as GET /incidents/{id} shows it.</summary>
    private async Task<JsonNode> FindIncident(string serviceId, string dedupKey)
    {
        var list = await _admin.GetAsync($"/api/v1/incidents?service_id={serviceId}&limit=100").Ok();
        var found = list["incidents"]!.AsArray().Where(i => i!.Str("dedup_key") == dedupKey).OrderByDescending(i => i!.Str("created_at")).FirstOrDefault();
        Assert.True(found is not null, $"no incident on {serviceId} with dedup key {dedupKey}");
        return await Incident(found!.Str("id"));
    }

    private async Task FindNone(string serviceId, string dedupKey)
    {
        var list = await _admin.GetAsync($"/api/v1/incidents?service_id={serviceId}&limit=100").Ok();
        Assert.DoesNotContain(list["incidents"]!.AsArray(), i => i!.Str("dedup_key") == dedupKey);
    }

    private async Task<JsonNode> Incident(string id) => await _admin.GetAsync($"/api/v1/incidents/{id}").Ok();

    private Task<JsonNode> Notifications(JsonNode incident) => _admin.GetAsync($"/api/v1/incidents/{incident.Str("id")}/notifications").Ok();

    /// <summary>Waits for the first level's pages to be sent: to the fixture's on-call person, written to the log channel.</summary>
    private async Task<JsonNode> Paged(JsonNode incident)
    {
        var notifications = await Eventually.Get(() => Notifications(incident),
            n => Pages(n).Any() && Pages(n).All(p => p.Str("status") == "sent"), "the first pages");
        Assert.All(Pages(notifications), p => Assert.Equal("oncall", p.Str("user_id")));
        Assert.All(Pages(notifications), p => Assert.Equal(1, p["level"]!.GetValue<int>()));
        Assert.All(Pages(notifications), p => Assert.Equal("log", p.Str("delivered_via")));
        return notifications;
    }

    private static IEnumerable<JsonNode> Pages(JsonNode notifications) => notifications.AsArray().Where(n => n!.Str("kind") == "page")!;
}
