using Escalation.Storage.Deliveries;
using System.Diagnostics;
using System.Net;
using Escalation.Storage.Database;
using Escalation.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Escalation.Tests.Storage;

/// <summary>
/// Delivery has a connection pool of its own: with every one of its connections taken (a thousand SMS consumers at
/// work, say), triggers and API calls still get connections and answer at once.
/// </summary>
public sealed class DeliveryPoolIsolationTests : IAsyncLifetime
{
    private const int DeliveryConnections = 4;
    private EscalationApp _app = null!;
    private string _routingKey = "";

    public async Task InitializeAsync()
    {
        _app = await EscalationApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Escalation:Delivery:MaxDatabaseConnections"] = DeliveryConnections.ToString(),
        });
        _routingKey = await OnCallApi.Configure(_app.Client());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Triggers_and_api_calls_answer_promptly_while_every_delivery_connection_is_taken()
    {
        var delivery = _app.Services.GetRequiredKeyedService<NpgsqlDataSource>(DeliveryDatabase.Key);
        var poolSize = new NpgsqlConnectionStringBuilder(delivery.ConnectionString).MaxPoolSize;
        var held = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < poolSize; i++) held.Add(await delivery.OpenConnectionAsync());
            using (var none = new CancellationTokenSource(TimeSpan.FromMilliseconds(500)))
                await Assert.ThrowsAnyAsync<Exception>(async () => await delivery.OpenConnectionAsync(none.Token)); // all taken

            var sender = _app.Client(key: null);
            var admin = _app.Client();
            var trigger = await Promptly(() => sender.PostJson("/v2/enqueue", OnCallApi.Trigger(_routingKey, "pool-starved")));
            Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
            var created = await Promptly(() => admin.PostJson("/api/v1/incidents", new { service_id = "api", title = "Disk full", severity = "error", dedup_key = "pool-api" }));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = (await created.Json()).Str("id");
            Assert.Equal(HttpStatusCode.OK, (await Promptly(() => admin.PostJson($"/api/v1/incidents/{id}/escalate", new { by = "oncall" }))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Promptly(() => admin.GetAsync("/api/v1/incidents?service_id=api"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Promptly(() => admin.GetAsync($"/api/v1/incidents/{id}"))).StatusCode);

            Assert.Equal(DeliveryConnections, await SessionsNamed(DeliveryDatabase.ApplicationName));
        }
        finally
        {
            foreach (var connection in held) await connection.DisposeAsync();
        }
    }

    private static async Task<HttpResponseMessage> Promptly(Func<Task<HttpResponseMessage>> call)
    {
        var clock = Stopwatch.StartNew();
        var response = await call().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"answered after {clock.Elapsed}");
        return response;
    }

    private async Task<long> SessionsNamed(string applicationName)
    {
        await using var db = NpgsqlDataSource.Create(_app.ConnectionString);
        await using var cmd = db.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1");
        cmd.Parameters.AddWithValue(applicationName);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
