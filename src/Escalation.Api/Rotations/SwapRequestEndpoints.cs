using System.Security.Claims;
using Escalation.Api.Auth;
using Escalation.Api.Http;
using Escalation.Configuration;
using Escalation.Rotations;
using Escalation.Storage.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escalation.Api.Rotations;

public sealed record SwapRequestBody(string? RequesterId, string? CoveringUserId, string? Start, string? End, string? Reason);

public sealed record SwapDecisionBody(string? UserId);

/// <summary>
/// <c>/rotations/{id}/swap-requests</c>: cover arranged as teams do it. The requester asks, the covering engineer
/// is told and accepts (which creates the replace override) or declines; the team channel hears the answer.
/// </summary>
public static class SwapRequestEndpoints
{
    public static void MapSwapRequests(this RouteGroupBuilder rotations)
    {
        var group = rotations.MapGroup("/{id}/swap-requests").RequireAuthorization(Policies.Responder);

        group.MapGet("/", async (string id, IGrainFactory grains) => RotationProblems.Found(id, await grains.GetGrain<IRotationGrain>(RotationKeys.For(id)).SwapRequests()));

        group.MapPost("/", async (string id, HttpRequest request, ClaimsPrincipal user, ConfigurationStore store, IGrainFactory grains) =>
        {
            var (body, bad) = await JsonBody.Read<SwapRequestBody>(request);
            if (bad is not null) return bad;
            // A key bound to a user asks for that user's own cover: requester_id may be left out, and no one else named.
            if (Actor.BoundUser(user) is not null)
            {
                var (requester, forbidden) = Actor.Of(user, string.IsNullOrWhiteSpace(body!.RequesterId) ? null : body.RequesterId, "requester_id");
                if (forbidden is not null) return forbidden;
                body = body with { RequesterId = requester };
            }
            var v = new Validator();
            v.Require("requester_id", body!.RequesterId, 64);
            v.Require("covering_user_id", body.CoveringUserId, 64);
            if (v.IsValid && body.RequesterId == body.CoveringUserId)
                v.Add("covering_user_id", "'covering_user_id' must be someone other than the requester.");
            var start = v.Timestamp("start", body.Start);
            var end = v.Timestamp("end", body.End);
            if (start is not null && end <= start) v.Add("end", "'end' must be after 'start'.");
            v.Text("reason", body.Reason, 1024);
            if (!v.IsValid) return Problems.Validation(v.Errors);
            if (await OverrideEndpoints.MissingUsers(store, body.RequesterId, body.CoveringUserId) is { } missing) return missing;

            var change = await grains.GetGrain<IRotationGrain>(RotationKeys.For(id)).RequestSwap(new SwapRequest
            {
                Id = RotationIds.NewSwapId(),
                RequesterId = body.RequesterId!,
                CoveringUserId = body.CoveringUserId!,
                Start = start!.Value,
                End = end!.Value,
                Reason = body.Reason,
            });
            return RotationProblems.Of(change, done => Results.Created($"{request.PathBase}{request.Path}/{done.Swap!.Id}", done.Swap));
        });

        MapDecision(group, "accept", accept: true);
        MapDecision(group, "decline", accept: false);
    }

    private static void MapDecision(RouteGroupBuilder group, string action, bool accept) =>
        group.MapPost($"/{{swapId}}/{action}", async (string id, string swapId, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var (body, bad) = await JsonBody.Read<SwapDecisionBody>(request);
            if (bad is not null) return bad;
            // A key bound to the covering user may leave user_id out.
            if (string.IsNullOrWhiteSpace(body!.UserId) && Actor.BoundUser(user) is null)
                return Problems.Validation("user_id", $"'user_id' is required: the covering user who {action}s.");
            var (decider, forbidden) = Actor.Of(user, string.IsNullOrWhiteSpace(body.UserId) ? null : body.UserId, "user_id");
            if (forbidden is not null) return forbidden;
            var change = await grains.GetGrain<IRotationGrain>(RotationKeys.For(id)).DecideSwap(swapId, decider!, accept);
            return RotationProblems.Of(change, done => Results.Ok(new { swap = done.Swap, @override = done.Override }));
        });
}
