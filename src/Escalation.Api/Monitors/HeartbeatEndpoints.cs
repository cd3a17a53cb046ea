using Escalation.Api.Auth;
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
        app.MapMethods("/heartbeats/{token}", ["GET", "POST", "HEAD"], async (string token, HttpContext context, FailedAuthentications failures,
            MonitorTokenStore tokens, IGrainFactory grains) =>
        {
            if (token.Length > 128) return Unknown();
            // An unknown token is remembered, and an address guessing many is answered 429, as for every credential.
            var check = await failures.Check(context, "heartbeat", token, tokens.MonitorOf);
            if (check.Throttled) return new TooManyRequests(check.RetryAfter!.Value, "Too many unknown heartbeat tokens came from this address: try again later.");
            if (check.Found is not { } monitorId) return Unknown();
            await grains.GetGrain<IMonitorGrain>(MonitorKeys.For(monitorId)).Beat();
            return Results.Ok(new { ok = true });
        }).AllowAnonymous().WithTags("monitors");

    private static IResult Unknown() => Problems.NotFound("There is no heartbeat with this token.");
}
