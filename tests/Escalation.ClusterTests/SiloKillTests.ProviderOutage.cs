using System.Net;
using System.Text.Json.Nodes;
using Escalation.Testing;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using Request = WireMock.RequestBuilders.Request;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Escalation.ClusterTests;

/// <summary>
/// A provider outage against a real silo process: Slack and SendGrid answer 503, and Twilio 401 (a rotated token), for
/// a minute. The pipeline's attempts are shortened (so that pages fail inside the minute and nobody-reached rounds
/// happen), the rounds themselves run on the production schedule (15 s, doubling, at most a minute). After the
/// providers are back every responder is reached within two minutes, and none is sent a page twice.
/// </summary>
public sealed partial class SiloKillTests
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(60);

    [Fact, Trait("Category", "Cluster")]
    public Task After_a_minute_long_provider_outage_every_responder_is_reached_within_two_minutes_once() => WithSiloLogsOnFailure(RunProviderOutage);

    private async Task RunProviderOutage()
    {
        var connectionString = await TestPostgres.CreateDatabase();
        using var slack = WireMockServer.Start();
        using var twilio = WireMockServer.Start();
        using var sendGrid = WireMockServer.Start();
        slack.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost()).AtPriority(10).RespondWith(Response.Create()
            .WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"ok":true,"channel":"D0A","ts":"1700000000.000100"}"""));
        twilio.Given(Request.Create().WithPath("/2010-04-01/Accounts/ACcluster/Messages.json").UsingPost()).AtPriority(10).RespondWith(Response.Create()
            .WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("""{"sid":"SMcluster","status":"queued"}"""));
        sendGrid.Given(Request.Create().WithPath("/v3/mail/send").UsingPost()).AtPriority(10).RespondWith(Response.Create()
            .WithStatusCode(202).WithHeader("X-Message-Id", "sg-cluster"));
        var down = new (WireMockServer Server, Guid Mapping)[]
        {
            (slack, Down(slack, 503, """{"ok":false,"error":"service_unavailable"}""")),
            (sendGrid, Down(sendGrid, 503, """{"errors":[{"message":"unavailable"}]}""")),
            (twilio, Down(twilio, 401, """{"code":20003,"message":"Authenticate","status":401}""")),
        };

        _logDirectory = Directory.CreateTempSubdirectory("escalation-outage-").FullName;
        var ports = SiloProcess.FreePorts(2);
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Escalation"] = connectionString,
            ["Escalation__Silo__Port"] = ports[0].ToString(),
            ["Urls"] = $"http://127.0.0.1:{ports[1]}",
            ["Escalation__Auth__BootstrapAdminKey"] = AdminKey,
            ["Escalation__Demo__Enabled"] = "false",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Escalation__Delivery__RetryDelays__0"] = "00:00:01",
            ["Escalation__Delivery__RetryDelays__1"] = "00:00:02",
            ["Escalation__Delivery__RetryDelays__2"] = "00:00:04",
            ["Escalation__Delivery__RetryDelays__3"] = "00:00:08",
            ["Escalation__PublicBaseUrl"] = "https://escalation.example.com",
            ["Escalation__Channels__Slack__BotToken"] = "xoxb-cluster",
            ["Escalation__Channels__Slack__SigningSecret"] = "cluster-signing-secret",
            ["Escalation__Channels__Slack__ApiBaseUrl"] = slack.Url + "/api/",
            ["Escalation__Channels__Twilio__AccountSid"] = "ACcluster",
            ["Escalation__Channels__Twilio__AuthToken"] = "cluster-auth-token",
            ["Escalation__Channels__Twilio__FromNumber"] = "+15005550006",
            ["Escalation__Channels__Twilio__ApiBaseUrl"] = twilio.Url + "/",
            ["Escalation__Channels__Twilio__PagesPerNumberEvery"] = "00:00:00",
            ["Escalation__Channels__SendGrid__ApiKey"] = "SG.cluster",
            ["Escalation__Channels__SendGrid__FromEmail"] = "pager@example.com",
            ["Escalation__Channels__SendGrid__ApiBaseUrl"] = sendGrid.Url!,
        };
        var silo = SiloProcess.Start("silo0", SiloDll(), ports[1], environment, Path.Combine(_logDirectory, "silo0.log"));
        _silos.Add(silo);
        await WaitUntilReady(silo);

        // Level 1: first, in Slack; level 2: second, by email; and on another service, third by SMS.
        await Responder(silo, "first", "slack", new { slack_user_id = "UFIRST" });
        await Responder(silo, "second", "email", new { email = "second@example.com" });
        await Responder(silo, "third", "sms", new { phone = "+15550600003" });
        await Policy(silo, "two-levels", "first", "second");
        await Policy(silo, "sms-only", "third");
        var outageKey = (await Call(silo, HttpMethod.Put, "/api/v1/services/outage", new { name = "Outage", escalation_policy_id = "two-levels" }))
            .GetProperty("integration_key").GetString()!;
        var tokenKey = (await Call(silo, HttpMethod.Put, "/api/v1/services/token", new { name = "Token", escalation_policy_id = "sms-only" }))
            .GetProperty("integration_key").GetString()!;
        var outageStarted = DateTime.UtcNow;
        foreach (var key in new[] { outageKey, tokenKey })
        {
            await Call(silo, HttpMethod.Post, "/v2/enqueue", new
            {
                routing_key = key, event_action = "trigger", dedup_key = $"outage-{key[..6]}",
                payload = new { summary = "Everything is down", source = "cluster-test", severity = "critical" },
            }, authenticated: false, expected: HttpStatusCode.Accepted);
        }

        await Until("the refused token shown on /health/ready", TimeSpan.FromSeconds(30), async () =>
            (await silo.Http.GetStringAsync("/health/ready")).Contains("20003"));
        var wait = Outage - (DateTime.UtcNow - outageStarted);
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        var tried = (Slack: Posts(slack, "UFIRST").Count, Mail: Mails(sendGrid, "second@example.com").Count, Sms: Texts(twilio, "+15550600003").Count);
        Say($"After the outage: Slack tried {tried.Slack}, SendGrid {tried.Mail}, Twilio {tried.Sms} times");
        // Five attempts a page: level 1 (Slack) and the SMS were paged again at least once; level 2, paged when level 1
        // could not be reached, at least once.
        Assert.True(tried.Slack >= 10 && tried.Sms >= 10 && tried.Mail >= 5, $"pages were not tried again through the outage: {tried}");
        foreach (var (server, mapping) in down) server.DeleteMapping(mapping);
        var recovered = DateTime.UtcNow;

        await Until("every responder reached", TimeSpan.FromMinutes(2), () => Task.FromResult(
            Posts(slack, "UFIRST", accepted: true).Count >= 1 && Mails(sendGrid, "second@example.com", accepted: true).Count >= 1
            && Texts(twilio, "+15550600003", accepted: true).Count >= 1));
        Say($"Every responder reached {(DateTime.UtcNow - recovered).TotalSeconds:F0} s after the providers came back");
        await Task.Delay(TimeSpan.FromSeconds(20)); // past the next round's gap: nothing more may be sent
        Assert.Single(Posts(slack, "UFIRST", accepted: true));
        Assert.Single(Mails(sendGrid, "second@example.com", accepted: true));
        Assert.Single(Texts(twilio, "+15550600003", accepted: true));
        Assert.DoesNotContain("20003", await silo.Http.GetStringAsync("/health/ready"));
    }

    private static Guid Down(WireMockServer server, int status, string body)
    {
        var mapping = Guid.NewGuid();
        server.Given(Request.Create().WithPath(new WildcardMatcher("/*"))).WithGuid(mapping).AtPriority(0)
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));
        return mapping;
    }

    private static Task Responder(SiloProcess silo, string id, string channel, object address)
    {
        var user = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(address))!.AsObject();
        user["name"] = id;
        user["time_zone"] = "Etc/UTC";
        user["notification_rules"] = new JsonArray(new JsonObject { ["channel"] = channel, ["after"] = "PT0S", ["urgency"] = "any" });
        return Call(silo, HttpMethod.Put, $"/api/v1/users/{id}", user);
    }

    private static Task Policy(SiloProcess silo, string id, params string[] levels) =>
        Call(silo, HttpMethod.Put, $"/api/v1/escalation-policies/{id}", new
        {
            name = id, levels = levels.Select(u => new { escalate_after = "PT2M", targets = new[] { new { type = "user", id = u } } }).ToArray(),
        });

    private static List<string> Bodies(WireMockServer server, string path, bool accepted) =>
        server.LogEntries.Where(e => e.RequestMessage!.Path == path && (!accepted || e.ResponseMessage!.StatusCode is int code && code < 300))
            .Select(e => e.RequestMessage!.Body ?? "").ToList();

    private static List<string> Posts(WireMockServer slack, string user, bool accepted = false) =>
        Bodies(slack, "/api/chat.postMessage", accepted).Where(b => b.Contains($"\"channel\":\"{user}\"")).ToList();

    private static List<string> Mails(WireMockServer sendGrid, string to, bool accepted = false) =>
        Bodies(sendGrid, "/v3/mail/send", accepted).Where(b => b.Contains(to)).ToList();

    private static List<string> Texts(WireMockServer twilio, string to, bool accepted = false) =>
        Bodies(twilio, "/2010-04-01/Accounts/ACcluster/Messages.json", accepted).Where(b => b.Contains(Uri.EscapeDataString(to))).ToList();
}
