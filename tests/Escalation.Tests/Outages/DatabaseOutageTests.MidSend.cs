using Escalation.Storage.Deliveries;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Escalation.Testing;
using Escalation.Tests.Api;
using Escalation.Tests.Channels;
using Npgsql;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Types;
using WireMock.Util;
using static Escalation.Tests.Channels.ChannelSetup;
using Request = WireMock.RequestBuilders.Request;

namespace Escalation.Tests.Outages;

/// <summary>
/// PostgreSQL goes away while Slack is taking a page: Slack accepts it, and the settle has to wait for the database,
/// longer than the claim's lease. The page is recorded once the database is back, and never sent again.
/// </summary>
public sealed partial class DatabaseOutageTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan SlackTakes = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan MidSendOutage = Lease + TimeSpan.FromSeconds(4);

    [Fact]
    public async Task A_page_Slack_accepted_while_the_database_was_away_is_recorded_once_it_is_back_and_not_sent_again()
    {
        using var fakes = new ProviderFakes();
        var clock = Stopwatch.StartNew();
        var arrived = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        TimeSpan? answered = null;
        fakes.Slack.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost().WithBody(new WildcardMatcher("*UMIDSEND*"))).AtPriority(1)
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                arrived.TrySetResult(clock.Elapsed);
                Thread.Sleep(SlackTakes);
                answered ??= clock.Elapsed;
                return SlackAccepted();
            }));
        var settings = fakes.Settings();
        settings["Escalation:Delivery:AttemptLease"] = Lease.ToString();
        settings["Escalation:Incidents:RedriveAfter"] = "00:00:02";
        await using var app = await EscalationApp.StartAsync(await postgres.Server.CreateDatabase(), settings);
        var admin = app.Client();
        var service = await Configure(admin, "midsend", "PT15M", new Responder("midsend-u", SlackUserId: "UMIDSEND", Rules: [Rule("slack")]));
        var id = await Trigger(admin, service, "Paged while the database goes away");

        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await postgres.Server.Stop();
        var stopped = clock.Elapsed;
        try
        {
            await Task.Delay(MidSendOutage);
        }
        finally
        {
            await postgres.Server.Restart();
        }
        Assert.True(answered > stopped, $"Slack answered at {answered}, before the database was down at {stopped}: the settle was not pending");

        await using var db = NpgsqlDataSource.Create(app.ConnectionString);
        var page = await Eventually.Get(() => Ledger(db, id), p => p?.Status == "sent", "the page recorded as sent", TimeSpan.FromSeconds(30));
        // Past another lease and re-drive: a second consumer taking the claim over would have sent it by now.
        await Task.Delay(Lease + TimeSpan.FromSeconds(4));

        var posts = fakes.Slack.SlackPosts("UMIDSEND");
        output.WriteLine($"Slack took the page at {await arrived.Task:g}, the database stopped at {stopped:g}, Slack answered at {answered:g}; " +
            $"{posts.Count} post(s) reached Slack; the ledger has {page}");
        Assert.Single(posts);
        // Delivered at its first attempt: the attempt is kept on the ledger row, with no row in notification_attempts.
        Assert.Equal(new LedgerRow("sent", 1, 0), await Ledger(db, id));
        var notification = (await admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok()).AsArray().Single()!;
        Assert.Equal("sent", notification.Str("status"));
    }

    private sealed record LedgerRow(string Status, int Attempts, long AttemptRows);

    private static async Task<LedgerRow?> Ledger(NpgsqlDataSource db, string incidentId)
    {
        await using var cmd = db.CreateCommand("""
            SELECT d.status, d.attempts, (SELECT count(*) FROM notification_attempts a WHERE a.notification_id = d.notification_id)
            FROM notification_deliveries d WHERE d.incident_id = $1
            """);
        cmd.Parameters.AddWithValue(incidentId);
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new LedgerRow(reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2)) : null;
    }

    private static ResponseMessage SlackAccepted() => new()
    {
        StatusCode = 200,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData
        {
            DetectedBodyType = BodyType.String,
            BodyAsString = new JsonObject { ["ok"] = true, ["channel"] = "DMIDSEND", ["ts"] = "1700000000.000777" }.ToJsonString(),
        },
    };
}
