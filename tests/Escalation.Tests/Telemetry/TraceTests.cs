using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Escalation.Silo.Telemetry;
using Escalation.Tests.Api;
using Escalation.Tests.Channels;
using static Escalation.Tests.Channels.ChannelSetup;

namespace Escalation.Tests.Telemetry;

/// <summary>One incident's trace goes from the HTTP request through the grains and the bus to the provider call.</summary>
public sealed class TraceTests(ChannelsFixture fixture) : IClassFixture<ChannelsFixture>
{
    [Fact]
    public async Task One_trace_runs_from_the_request_through_the_grain_and_the_bus_to_the_provider_call()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => TelemetryRegistration.TraceSources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var admin = fixture.App.Client();
        var service = await Configure(admin, "traced", "PT15M", new Responder("traced-u", SlackUserId: "UTRACED", Rules: [Rule("slack")]));

        // The caller's own trace, as a monitoring tool or a gateway in front would send it.
        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents")
        {
            Content = JsonContent.Create(new { service_id = service, title = "Traced checkout failure", severity = "critical" }),
        };
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        (await admin.SendAsync(request)).EnsureSuccessStatusCode();
        await ProviderRequests.Until(() => fixture.Fakes.Slack.SlackPosts("UTRACED"), p => p.Count > 0, "the Slack DM");

        // Each span is seen when it ends: the consumer's after the provider call it holds.
        var spans = await Escalation.Testing.Eventually.Get(() => Task.FromResult(stopped.Where(a => a.TraceId == trace).ToList()),
            s => s.Any(a => a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Consumer), "the channel's consumer in the trace");
        Assert.Contains(spans, a => a.Source.Name == "Microsoft.AspNetCore");
        Assert.Contains(spans, a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && a.DisplayName.Contains("IIncidentGrain"));
        Assert.Contains(spans, a => a.Source.Name == "Escalation" && a.OperationName == "escalation.dispatch");
        Assert.Contains(spans, a => a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Producer);
        Assert.Contains(spans, a => a.Source.Name == "System.Net.Http" && $"{a.GetTagItem("url.full")}".Contains("chat.postMessage"));
    }
}
