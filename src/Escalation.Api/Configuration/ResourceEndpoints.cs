using System.Security.Claims;
using Escalation.Api.Auth;
using Escalation.Api.Http;
using Escalation.Configuration;
using Escalation.Storage.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escalation.Api.Configuration;

/// <summary>
/// The shape every configuration resource shares: PUT is an idempotent upsert (201 when created, 200 when
/// replaced), GET returns what was stored, DELETE removes it unless something still refers to it.
/// </summary>
public static class ResourceEndpoints
{
    public delegate Task<(TDoc? Document, IResult? Problem)> Builder<in TBody, TDoc>(string id, TBody body, ConfigurationStore store);

    /// <summary>
    /// <paramref name="shownTo"/> is what a reader (a responder or an admin) sees of a document; by default all of it.
    /// PUT, for admins only, answers with the whole document.
    /// </summary>
    public static RouteGroupBuilder MapResource<TBody, TDoc>(
        this RouteGroupBuilder api, string path, string table, string kind, Builder<TBody, TDoc> build, ResourceHooks? hooks = null,
        Func<TDoc, ClaimsPrincipal, object>? shownTo = null)
        where TBody : class where TDoc : class
    {
        hooks ??= new ResourceHooks();
        shownTo ??= (doc, _) => doc;
        var group = api.MapGroup(path).WithTags(kind);

        group.MapGet("/", async (ConfigurationStore store, ClaimsPrincipal user) =>
                TypedResults.Ok((await store.List<TDoc>(table)).Select(doc => shownTo(doc, user))))
            .RequireAuthorization(Policies.Responder);

        group.MapGet("/{id}", async (string id, ConfigurationStore store, ClaimsPrincipal user) =>
                await store.Get<TDoc>(table, id) is { } doc ? Results.Ok(shownTo(doc, user)) : Problems.NotFound($"There is no {kind} '{id}'."))
            .RequireAuthorization(Policies.Responder);

        group.MapPut("/{id}", async (string id, HttpRequest request, ConfigurationStore store) =>
            {
                if (!Validator.IdPattern().IsMatch(id))
                    return Problems.Validation("id", $"'{id}' is not a valid id: use 1-64 lowercase letters, digits, '.', '_' or '-'.");
                var (body, bad) = await JsonBody.Read<TBody>(request);
                if (bad is not null) return bad;
                var (doc, problem) = await build(id, body!, store);
                if (problem is not null) return problem;
                var created = await store.Put(table, id, doc!);
                await hooks.Written(id, request.HttpContext.RequestServices);
                // As GET shows it: some of a document is not the PUT's to set (a user's sms_stopped_at).
                var stored = await store.Get<TDoc>(table, id) ?? doc;
                return created ? Results.Created($"{request.PathBase}{request.Path}", stored) : Results.Ok(stored);
            })
            .RequireAuthorization(Policies.Admin);

        group.MapDelete("/{id}", async (string id, ConfigurationStore store, HttpContext http) =>
            {
                var users = (await store.ReferencesTo(table, id)).Concat(await hooks.ReferencesElsewhere(id, http.RequestServices)).ToList();
                if (users.Count > 0)
                    return Problems.Conflict($"{Capitalised(kind)} '{id}' is still used by {string.Join(", ", users)}.");
                if (!await store.Delete(table, id)) return Problems.NotFound($"There is no {kind} '{id}'.");
                await hooks.Deleted(id, http.RequestServices);
                return Results.NoContent();
            })
            .RequireAuthorization(Policies.Admin);

        return group;
    }

    private static string Capitalised(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}

/// <summary>What a resource needs beyond its row: grains to tell, references kept outside the configuration tables.</summary>
public sealed record ResourceHooks
{
    private static readonly Task<IReadOnlyList<string>> None = Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>After the resource was created or replaced.</summary>
    public Func<string, IServiceProvider, Task> Written { get; init; } = (_, _) => Task.CompletedTask;

    /// <summary>After the resource was deleted.</summary>
    public Func<string, IServiceProvider, Task> Deleted { get; init; } = (_, _) => Task.CompletedTask;

    /// <summary>What else refers to the resource, named, so that deleting it is refused.</summary>
    public Func<string, IServiceProvider, Task<IReadOnlyList<string>>> ReferencesElsewhere { get; init; } = (_, _) => None;
}
