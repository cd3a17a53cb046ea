using Escalation.Api.Http;
using Escalation.Configuration;
using Escalation.Storage.Auth;
using Escalation.Storage.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escalation.Api.Auth;

public sealed record ApiKeyBody(string? Name, string? Role, string? UserId);

public sealed record CreatedApiKey(string Id, string Name, string Role, DateTimeOffset CreatedAt, string? UserId, string Key);

public static class ApiKeyEndpoints
{
    public static void MapApiKeys(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/api-keys").WithTags("api keys").RequireAuthorization(Policies.Admin);

        group.MapGet("/", async (ApiKeyStore keys) => TypedResults.Ok(await keys.List()));

        group.MapPost("/", async (HttpRequest request, ApiKeyStore keys, ConfigurationStore store) =>
        {
            var (body, bad) = await JsonBody.Read<ApiKeyBody>(request);
            if (bad is not null) return bad;
            var v = new Validator();
            v.Require("name", body!.Name);
            if (!Roles.IsKnown(body.Role)) v.Add("role", $"'role' must be \"{Roles.Admin}\" or \"{Roles.Responder}\".");
            if (body.UserId is not null) v.Id("user_id", body.UserId);
            if (!v.IsValid) return Problems.Validation(v.Errors);
            if (body.UserId is not null && (await store.Missing(ConfigurationStore.Tables.Users, [body.UserId])).Count > 0)
                return Problems.MissingReferences([("user", body.UserId)]);

            var (key, secret) = await keys.Create(body.Name!, body.Role!, body.UserId);
            return Results.Json(new CreatedApiKey(key.Id, key.Name, key.Role, key.CreatedAt, key.UserId, secret), statusCode: StatusCodes.Status201Created);
        });

        group.MapDelete("/{id}", async (string id, ApiKeyStore keys) =>
            await keys.Delete(id) ? Results.NoContent() : Problems.NotFound($"There is no API key '{id}'."));
    }
}
