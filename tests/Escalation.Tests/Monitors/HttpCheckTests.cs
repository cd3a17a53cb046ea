using Escalation.Incidents;
using Escalation.Monitors;
using Escalation.Tests.Grains;
using Escalation.Testing;
using Request = WireMock.RequestBuilders.Request;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Escalation.Tests.Monitors;

/// <summary>HTTP checks against a local fake server: up, down, slow, and flapping under a consecutive-failure threshold.</summary>
public sealed class HttpCheckTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);
    private readonly WireMockServer _server = WireMockServer.Start();
    private EscalationCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await EscalationCluster.StartAsync();

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _server.Stop();
    }

    [Fact]
    public async Task Two_failures_in_a_row_open_an_incident_and_the_first_success_resolves_it()
    {
        var monitor = await Watch("api-healthz");
        var first = await NextResult(monitor, null, up: true);
        Assert.Equal(200, first.Status);

        Answer(503);
        var failed = await Step(monitor, first);
        Assert.Equal("HTTP 503, expected 200", failed.Error);
        Assert.True((await monitor.Status()).Up);
        var again = await Step(monitor, failed);
        var down = await monitor.Status();
        Assert.Equal((false, 2), (down.Up, down.ConsecutiveFailures));
        var incident = (await MonitorSetup.Incident(_cluster, down.IncidentId))!;
        Assert.Equal("Health check API healthz is down: 2 checks in a row failed: HTTP 503, expected 200", incident.Title);

        // Still failing: the same incident; then up: resolved.
        var third = await Step(monitor, again);
        Assert.Equal(down.IncidentId, (await monitor.Status()).IncidentId);
        Answer(200);
        await Step(monitor, third);
        Assert.True((await monitor.Status()).Up);
        Assert.Equal(IncidentStatus.Resolved, (await MonitorSetup.Incident(_cluster, down.IncidentId))!.Status);
        // One request a check, never two at once.
        Assert.Equal(5, _server.LogEntries.Count());
    }

    [Fact]
    public async Task A_check_slower_than_its_timeout_fails()
    {
        _server.Reset();
        _server.Given(Request.Create().WithPath("/healthz")).RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(3)));
        var monitor = await Watch("slow-healthz", failuresBeforeOpen: 1);
        var result = await NextResult(monitor, null, up: false);
        Assert.Equal("no answer within PT1S", result.Error);
        Assert.InRange(result.Took, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(2.5));
        Assert.False((await monitor.Status()).Up);
    }

    [Fact]
    public async Task A_flapping_endpoint_under_the_threshold_opens_nothing()
    {
        var monitor = await Watch("flappy", failuresBeforeOpen: 2);
        var last = await NextResult(monitor, null, up: true);
        foreach (var status in new[] { 500, 200, 502, 200, 504 })
        {
            Answer(status);
            last = await Step(monitor, last);
        }
        var state = await monitor.Status();
        Assert.Equal((true, 1, null), (state.Up, state.ConsecutiveFailures, state.IncidentId));
    }

    [Fact]
    public async Task Watching_again_while_a_check_is_in_flight_starts_no_second_one()
    {
        _server.Reset();
        _server.Given(Request.Create().WithPath("/healthz")).RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromMilliseconds(500)));
        var monitor = await Watch("busy");
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => monitor.Watch()));
        await NextResult(monitor, null, up: true);
        Assert.Single(_server.LogEntries);
    }

    private void Answer(int status)
    {
        // The mappings only: the request log counts the checks.
        _server.ResetMappings();
        _server.Given(Request.Create().WithPath("/healthz").UsingGet()).RespondWith(Response.Create().WithStatusCode(status));
    }

    private async Task<IMonitorGrain> Watch(string id, int failuresBeforeOpen = 2)
    {
        await OnCallSetup.Load(_cluster.Store);
        if (!_server.Mappings.Any()) Answer(200);
        var name = id == "api-healthz" ? "API healthz" : id;
        return await MonitorSetup.Watch(_cluster, new ServiceMonitor(id, name, OnCallSetup.ServiceId, MonitorKind.Http,
            Http: new HttpCheckSpec($"{_server.Url}/healthz", "GET", 200, Interval, TimeSpan.FromSeconds(1), failuresBeforeOpen)));
    }

    /// <summary>The next interval: the clock moves on, the deadline starts a check, and its result comes back.</summary>
    private async Task<CheckResult> Step(IMonitorGrain monitor, CheckResult previous)
    {
        _cluster.Clock.Advance(Interval);
        await _cluster.Deadlines.WhenIdle();
        return await NextResult(monitor, previous, up: null);
    }

    private static async Task<CheckResult> NextResult(IMonitorGrain monitor, CheckResult? previous, bool? up)
    {
        var status = await Eventually.Get(monitor.Status, s => s.LastCheck is { } c && c.StartedAt != previous?.StartedAt, "the check's result");
        if (up is { } expected) Assert.Equal(expected, status.LastCheck!.Up);
        return status.LastCheck!;
    }
}
