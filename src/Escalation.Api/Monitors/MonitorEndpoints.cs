using System.Net;
using Escalation.Api.Auth;
using Escalation.Api.Configuration;
using Escalation.Api.Http;
using Escalation.Api.Incidents;
using Escalation.Monitors;
using Escalation.Storage.Configuration;
using Escalation.Storage.Monitors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Escalation.Api.Monitors;

public sealed record HeartbeatBody(string? Interval, string? Grace);

public sealed record HttpCheckBody(string? Url, string? Method = null, int? ExpectedStatus = null, string? Interval = null, string? Timeout = null,
    int? FailuresBeforeOpen = null);

/// <summary>A monitor as GET shows it: a heartbeat carries <c>heartbeat</c>, an HTTP check <c>http</c>.</summary>
public sealed record MonitorBody(string? Name, string? ServiceId, string? Type, string? Severity = null, HeartbeatBody? Heartbeat = null, HttpCheckBody? Http = null);

public sealed record MonitorToken(string Token, string PingUrl);

/// <summary>
/// <c>/api/v1/monitors</c>: heartbeats and HTTP checks, configured by admins only (an HTTP check makes the service send
/// requests). <c>POST …/{id}/token</c> gives a heartbeat its ping URL; <c>GET …/{id}/status</c> tells how it stands.
/// </summary>
public static class MonitorEndpoints
{
    private static readonly string[] Methods = ["GET", "HEAD", "POST"];

    public static void MapMonitors(this RouteGroupBuilder api)
    {
        var options = ((IEndpointRouteBuilder)api).ServiceProvider.GetRequiredService<IOptions<MonitorOptions>>();
        var group = api.MapResource<MonitorBody, ServiceMonitor>("/monitors", ConfigurationStore.Tables.Monitors, "monitor",
            (id, body, store) => Build(id, body, store, options.Value), new ResourceHooks
            {
                Written = (id, services) => Tell(services, id),
                Deleted = async (id, services) =>
                {
                    await services.GetRequiredService<MonitorTokenStore>().Delete(id);
                    await Tell(services, id);
                },
            });

        group.MapPost("/{id}/token", async (string id, HttpRequest request, ConfigurationStore store, MonitorTokenStore tokens) =>
        {
            if (await store.Get<ServiceMonitor>(ConfigurationStore.Tables.Monitors, id) is not { } monitor) return Problems.NotFound($"There is no monitor '{id}'.");
            if (monitor.Type != MonitorKind.Heartbeat) return Problems.Conflict($"Monitor '{id}' is an HTTP check: only a heartbeat is pinged.");
            var token = await tokens.Rotate(id);
            return Results.Ok(new MonitorToken(token, $"{PublicBase.Of(request)}/heartbeats/{token}"));
        }).RequireAuthorization(Policies.Admin);

        group.MapGet("/{id}/status", async (string id, ConfigurationStore store, IGrainFactory grains) =>
            await store.Get<ServiceMonitor>(ConfigurationStore.Tables.Monitors, id) is null
                ? Problems.NotFound($"There is no monitor '{id}'.")
                : Results.Ok(await grains.GetGrain<IMonitorGrain>(MonitorKeys.For(id)).Status()))
            .RequireAuthorization(Policies.Responder);
    }

    private static Task Tell(IServiceProvider services, string id) =>
        GrainNotice.Tell(services, "monitor", id, grains => grains.GetGrain<IMonitorGrain>(MonitorKeys.For(id)).Watch());

    private static async Task<(ServiceMonitor?, IResult?)> Build(string id, MonitorBody body, ConfigurationStore store, MonitorOptions options)
    {
        var v = new Validator();
        v.Require("name", body.Name);
        v.Text("name", body.Name, 256);
        v.Require("service_id", body.ServiceId, 64);
        var severity = SeverityNames.Parse(body.Severity ?? "critical");
        if (severity is null) v.Add("severity", "'severity' must be critical, error, warning or info.");
        var kind = body.Type switch { "heartbeat" => MonitorKind.Heartbeat, "http" => (MonitorKind?)MonitorKind.Http, _ => null };
        if (kind is null) v.Add("type", "'type' must be heartbeat (a URL your job pings) or http (a URL the service checks).");
        HeartbeatSpec? heartbeat = null;
        HttpCheckSpec? http = null;
        if (kind == MonitorKind.Heartbeat)
        {
            if (body.Http is not null) v.Add("http", "'http' goes with type http; a heartbeat takes 'heartbeat'.");
            var interval = v.Duration("heartbeat.interval", body.Heartbeat?.Interval ?? "", TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
            var grace = v.Duration("heartbeat.grace", body.Heartbeat?.Grace ?? "PT1M", TimeSpan.Zero, TimeSpan.FromDays(1));
            if (interval is { } i && grace is { } g) heartbeat = new HeartbeatSpec(i, g);
        }
        else if (kind == MonitorKind.Http)
        {
            if (body.Heartbeat is not null) v.Add("heartbeat", "'heartbeat' goes with type heartbeat; an HTTP check takes 'http'.");
            var check = body.Http ?? new HttpCheckBody(null);
            Url(v, check.Url, options);
            var method = (check.Method ?? "GET").ToUpperInvariant();
            if (!Methods.Contains(method)) v.Add("http.method", "'http.method' must be GET, HEAD or POST.");
            var expected = check.ExpectedStatus ?? 200;
            if (expected is < 100 or > 599) v.Add("http.expected_status", "'http.expected_status' must be an HTTP status from 100 to 599.");
            var interval = v.Duration("http.interval", check.Interval ?? "PT5M", TimeSpan.FromSeconds(30), TimeSpan.FromDays(1));
            var timeout = v.Duration("http.timeout", check.Timeout ?? "PT10S", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
            if (interval < timeout) v.Add("http.timeout", "'http.timeout' must not be longer than 'http.interval': checks of one monitor never overlap.");
            var failures = check.FailuresBeforeOpen ?? 2;
            if (failures is < 1 or > 20) v.Add("http.failures_before_open", "'http.failures_before_open' must be from 1 to 20.");
            if (interval is { } i && timeout is { } t) http = new HttpCheckSpec(check.Url!, method, expected, i, t, failures);
        }
        if (!v.IsValid) return (null, Problems.Validation(v.Errors));
        if (await store.FindService(body.ServiceId!) is null) return (null, Problems.MissingReferences([("service", body.ServiceId!)]));
        return (new ServiceMonitor(id, body.Name!, body.ServiceId!, kind!.Value, severity!.Value, heartbeat, http), null);
    }

    private static void Url(Validator v, string? url, MonitorOptions options)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || url.Length > 2048)
        {
            v.Add("http.url", "'http.url' is required: an http or https URL such as https://api.example.com/healthz.");
            return;
        }
        if (!string.IsNullOrEmpty(uri.UserInfo)) v.Add("http.url", "'http.url' must not carry a user name or password.");
        if (options.AllowLinkLocal) return;
        if (RequestForgeryGuard.IsMetadataHost(uri.IdnHost) || (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) && RequestForgeryGuard.IsForbidden(address)))
            v.Add("http.url", "'http.url' points at a link-local or cloud-metadata address, which the checker refuses (Escalation:Monitors:AllowLinkLocal allows it).");
    }
}
