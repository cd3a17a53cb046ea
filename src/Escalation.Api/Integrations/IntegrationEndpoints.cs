using System.Text.Json;
using Escalation.Api.Auth;
using Escalation.Api.Http;
using Escalation.Configuration;
using Escalation.Storage.Configuration;
using Escalation.Storage.Integrations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escalation.Api.Integrations;

public sealed record IntegrationBody(string? Type, string? Name, string? SigningSecret, JsonElement? Settings);

/// <summary>An integration as shown: never its URL secret nor the tool's signing secret, only whether it has one.</summary>
public sealed record IntegrationView(string Id, string ServiceId, string Type, string Name, bool HasSigningSecret, JsonElement? Settings, DateTimeOffset CreatedAt)
{
    public static IntegrationView Of(Integration i) => new(i.Id, i.ServiceId, i.Type, i.Name, i.SigningSecret is not null, i.Settings, i.CreatedAt);
}

/// <summary>An integration as made or rotated: with its URL, which carries its secret and is shown only then.</summary>
public sealed record IntegrationWithUrl(string Id, string ServiceId, string Type, string Name, bool HasSigningSecret, JsonElement? Settings, DateTimeOffset CreatedAt, string Url)
{
    public static IntegrationWithUrl Of(Integration i, string url) =>
        new(i.Id, i.ServiceId, i.Type, i.Name, i.SigningSecret is not null, i.Settings, i.CreatedAt, url);
}

/// <summary>
/// <c>/api/v1/services/{id}/integrations</c>: the ways tools send a service alerts. Admins only, as routing keys are:
/// an integration's URL opens incidents and pages people.
/// </summary>
public static class IntegrationEndpoints
{
    private const int MaxSigningSecret = 1024;

    public static void MapIntegrations(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/services/{serviceId}/integrations").WithTags("integrations").RequireAuthorization(Policies.Admin);

        group.MapPost("/", Create);

        group.MapGet("/", async (string serviceId, ConfigurationStore config, IntegrationStore store) =>
            await ServiceExists(config, serviceId)
                ? Results.Ok((await store.List(serviceId)).Select(IntegrationView.Of))
                : NoService(serviceId));

        group.MapGet("/{integrationId}", async (string serviceId, string integrationId, IntegrationStore store) =>
            await store.Get(serviceId, integrationId) is { } found ? Results.Ok(IntegrationView.Of(found)) : NoIntegration(serviceId, integrationId));

        group.MapDelete("/{integrationId}", async (string serviceId, string integrationId, IntegrationStore store) =>
            await store.Delete(serviceId, integrationId) ? Results.NoContent() : NoIntegration(serviceId, integrationId));

        group.MapPost("/{integrationId}/rotate-secret", async (string serviceId, string integrationId, HttpRequest request, IntegrationStore store) =>
        {
            if (await store.RotateSecret(serviceId, integrationId) is not { } secret) return NoIntegration(serviceId, integrationId);
            var integration = await store.Get(serviceId, integrationId);
            return integration is null ? NoIntegration(serviceId, integrationId) : Results.Ok(IntegrationWithUrl.Of(integration, UrlOf(request, integration, secret)));
        });
    }

    private static async Task<IResult> Create(string serviceId, HttpRequest request, ConfigurationStore config, IntegrationStore store, AlertSources sources)
    {
        var (body, bad) = await JsonBody.Read<IntegrationBody>(request);
        if (bad is not null) return bad;

        var v = new Validator();
        var source = body!.Type is null ? null : sources.Find(body.Type);
        if (body.Type is null) v.Add("type", $"'type' is required: one of {string.Join(", ", sources.Types)}.");
        else if (source is null) v.Add("type", $"'type' must be one of {string.Join(", ", sources.Types)}.");
        v.Require("name", body.Name);
        v.Text("name", body.Name, 256);
        if (source is not null)
        {
            var hasSecret = !string.IsNullOrEmpty(body.SigningSecret);
            if (source.SigningSecret == SigningSecretUse.None && body.SigningSecret is not null)
                v.Add("signing_secret", $"'signing_secret' is not taken by {source.Type} integrations: {source.Type} does not sign what it sends.");
            else if (source.SigningSecret == SigningSecretUse.Required && !hasSecret)
                v.Add("signing_secret", $"'signing_secret' is required for {source.Type} integrations: the secret {source.Type} signs its requests with.");
            else if (body.SigningSecret is { Length: 0 or > MaxSigningSecret })
                v.Add("signing_secret", $"'signing_secret' must be 1 to {MaxSigningSecret} characters.");
            else v.Text("signing_secret", body.SigningSecret, MaxSigningSecret);
            foreach (var (field, error) in source.ValidateSettings(body.Settings)) v.Add(field, error);
        }
        if (!v.IsValid) return Problems.Validation(v.Errors);
        if (!await ServiceExists(config, serviceId)) return NoService(serviceId);

        var settings = body.Settings is { ValueKind: not JsonValueKind.Null } s ? s : (JsonElement?)null;
        var (integration, secret) = await store.Create(serviceId, source!.Type, body.Name!, body.SigningSecret, settings);
        return Results.Created($"{request.PathBase}/api/v1/services/{serviceId}/integrations/{integration.Id}",
            IntegrationWithUrl.Of(integration, UrlOf(request, integration, secret)));
    }

    private static string UrlOf(HttpRequest request, Integration integration, string secret) =>
        $"{PublicBase.Of(request)}/integrations/{integration.Id}/{secret}";

    private static async Task<bool> ServiceExists(ConfigurationStore config, string serviceId) =>
        await config.Get<Service>(ConfigurationStore.Tables.Services, serviceId) is not null;

    private static IResult NoService(string serviceId) => Problems.NotFound($"There is no service '{serviceId}'.");

    private static IResult NoIntegration(string serviceId, string integrationId) =>
        Problems.NotFound($"Service '{serviceId}' has no integration '{integrationId}'.");
}
