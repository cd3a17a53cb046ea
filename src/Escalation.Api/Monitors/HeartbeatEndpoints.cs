using Escalation.Api.Http;
using Escalation.Monitors;
using Escalation.Storage.Monitors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escalation.Api.Monitors;

/// <summary>
/// <c>GET|POST /heartbeats/{token}</c>: the ping a cron job or pipeline sends. The token is the credential, as in
/// the URL a calendar app or Healthchecks.io is given; a body is ignored.
/// </summary>
public static class HeartbeatEndpoints
{
    public static void MapHeartbeats(this IEndpointRouteBuilder app) =>
        app.MapMethods("/heartbeats/{token}", ["GET", "POST", "HEAD"], async (string token, MonitorTokenStore tokens, IGrainFactory grains) =>
        {
            if (token.Length > 128 || await tokens.MonitorOf(token) is not { } monitorId) return Problems.NotFound("There is no heartbeat with this token.");
            await grains.GetGrain<IMonitorGrain>(MonitorKeys.For(monitorId)).Beat();
            return Results.Ok(new { ok = true });
        }).AllowAnonymous().WithTags("monitors");
}
