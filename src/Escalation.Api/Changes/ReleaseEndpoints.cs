using System.Security.Claims;
using System.Text.Json;
using Escalation.Api.Auth;
using Escalation.Api.Http;
using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Releases;
using Escalation.Storage.Changes;
using Escalation.Storage.Configuration;
using Escalation.Storage.Integrations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Escalation.Api.Changes;

public sealed record ReleaseBody(string? Summary, string? By, string? At, string? Source, List<IncidentLink?>? Links);

public sealed record ReleaseView(ChangeView Change, IReadOnlyList<DateTimeOffset> ChecksAt);

/// <summary>
/// Production releases: <c>POST /api/v1/services/{id}/releases</c>, or a change event whose
/// <c>custom_details.environment</c> is <c>production</c>. Each is a change event, and starts a release watch.
/// </summary>
public static class ReleaseEndpoints
{
    public static void MapReleases(this RouteGroupBuilder api) =>
        api.MapPost("/services/{id}/releases", async (string id, HttpRequest request, ClaimsPrincipal user, ConfigurationStore store, ChangeEventStore changes,
            ReleaseLookup lookup, IntegrationStore integrations, IGrainFactory grains, ILoggerFactory logs) =>
        {
            var (body, bad) = await JsonBody.Read<ReleaseBody>(request);
            if (bad is not null) return bad;
            var v = new Validator();
            v.Require("summary", body!.Summary, 1024);
            v.Text("summary", body.Summary, 1024);
            v.Text("source", body.Source, 256);
            var at = v.Timestamp("at", body.At, required: false);
            var links = v.Links("links", body.Links);
            if (!v.IsValid) return Problems.Validation(v.Errors);
            var (by, forbidden) = Actor.Of(user, body.By, "by");
            if (forbidden is not null) return forbidden;
            if (await store.FindService(id) is not { } service) return Problems.NotFound($"There is no service '{id}'.");

            var details = JsonSerializer.Serialize(new Dictionary<string, string?> { ["environment"] = ReleaseWatch.ProductionEnvironment, ["released_by"] = by });
            var change = await changes.Record(id, body.Summary!, body.Source ?? "api", at, details, links ?? []);
            var watch = await Watch(change, service, by, lookup, integrations, grains, logs);
            return Results.Created($"{request.PathBase}/api/v1/services/{id}/changes", new ReleaseView(change, [.. ReleaseWatch.Checks.Select(c => watch.At + c)]));
        }).WithTags("service").RequireAuthorization(Policies.Responder);

    /// <summary>Whether a change event is a production release, and who released it if it says.</summary>
    public static (bool Production, string? ReleasedBy) ReleaseOf(string? customDetailsJson)
    {
        if (customDetailsJson is null) return (false, null);
        using var details = JsonDocument.Parse(customDetailsJson);
        if (details.RootElement.ValueKind != JsonValueKind.Object) return (false, null);
        string? Text(string name) => details.RootElement.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        return (string.Equals(Text("environment"), ReleaseWatch.ProductionEnvironment, StringComparison.OrdinalIgnoreCase),
            Text("released_by") ?? Text("user") ?? Text("author"));
    }

    /// <summary>
    /// Starts the watch of a production change just recorded. The change is committed already, so a watch that
    /// cannot start is logged rather than answered with an error the sender would retry (recording the change twice).
    /// </summary>
    public static async Task<ReleaseWatch> Watch(ChangeView change, Service service, string? releasedBy, ReleaseLookup lookup, IntegrationStore integrations,
        IGrainFactory grains, ILoggerFactory logs)
    {
        lookup.Forget(service.Id);
        var watch = new ReleaseWatch(change.Id.ToString(), service.Id, change.Summary, change.At, releasedBy, []);
        try
        {
            watch = watch with { AlertSources = [.. (await integrations.List(service.Id)).Select(i => $"{i.Name} ({i.Type})")] };
            await grains.GetGrain<IReleaseWatchGrain>(watch.ReleaseId).Start(watch);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logs.CreateLogger("Escalation.Api.Releases").LogError(e, "release.watch_failed release={ReleaseId} service={ServiceId}: no checks will be sent for it",
                watch.ReleaseId, service.Id);
        }
        return watch;
    }
}
