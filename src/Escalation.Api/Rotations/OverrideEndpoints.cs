using Escalation.Api.Auth;
using Escalation.Api.Http;
using Escalation.Configuration;
using Escalation.Rotations;
using Escalation.Storage.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escalation.Api.Rotations;

public sealed record OverrideBody(string? Type, string? UserId, string? ReplacesUserId, string? Start, string? End, string? Reason);

/// <summary>
/// <c>/rotations/{id}/overrides</c>: replace, add or remove someone for a while. Any responder may, as on-call
/// engineers arrange their own cover; an override that names a person already in an overlapping one is a 409.
/// </summary>
public static class OverrideEndpoints
{
    public static void MapOverrides(this RouteGroupBuilder rotations)
    {
        var group = rotations.MapGroup("/{id}/overrides").RequireAuthorization(Policies.Responder);

        group.MapGet("/", async (string id, IGrainFactory grains) => RotationProblems.Found(id, await grains.GetGrain<IRotationGrain>(RotationKeys.For(id)).Overrides()));

        group.MapPost("/", async (string id, HttpRequest request, ConfigurationStore store, IGrainFactory grains) =>
        {
            var (body, bad) = await JsonBody.Read<OverrideBody>(request);
            if (bad is not null) return bad;
            var v = new Validator();
            var type = body!.Type switch
            {
                "replace" => OverrideType.Replace,
                "add" => OverrideType.Add,
                "remove" => OverrideType.Remove,
                _ => (OverrideType?)null,
            };
            if (type is null) v.Add("type", "'type' must be replace, add or remove.");
            var start = v.Timestamp("start", body.Start);
            var end = v.Timestamp("end", body.End);
            v.Text("reason", body.Reason, 1024);
            if (!v.IsValid) return Problems.Validation(v.Errors);

            var candidate = new RotationOverride(RotationIds.NewOverrideId(), type!.Value, body.UserId ?? "", body.ReplacesUserId,
                start!.Value, end!.Value, body.Reason);
            foreach (var error in RotationValidation.Errors(candidate)) v.Add(error.Field, error.Message);
            if (!v.IsValid) return Problems.Validation(v.Errors);
            if (await MissingUsers(store, candidate.UserId, candidate.ReplacesUserId) is { } missing) return missing;

            var change = await grains.GetGrain<IRotationGrain>(RotationKeys.For(id)).AddOverride(candidate);
            return RotationProblems.Of(change, done => Results.Created($"{request.PathBase}{request.Path}/{candidate.Id}", done.Override));
        });

        group.MapDelete("/{overrideId}", async (string id, string overrideId, IGrainFactory grains) =>
        {
            var change = await grains.GetGrain<IRotationGrain>(RotationKeys.For(id)).RemoveOverride(overrideId);
            return RotationProblems.Of(change, _ => Results.NoContent());
        });
    }

    /// <summary>A 422 naming the users that do not exist; null when they all do.</summary>
    internal static async Task<IResult?> MissingUsers(ConfigurationStore store, params string?[] users)
    {
        var missing = await store.Missing(ConfigurationStore.Tables.Users, users.OfType<string>());
        return missing.Count > 0 ? Problems.MissingReferences(missing.Select(u => ("user", u)).ToList()) : null;
    }
}
