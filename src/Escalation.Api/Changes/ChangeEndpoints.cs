using Escalation.Api.Auth;
using Escalation.Api.Events;
using Escalation.Api.Http;
using Escalation.Configuration;
using Escalation.Storage.Changes;
using Escalation.Storage.Configuration;
using Escalation.Storage.Integrations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escalation.Api.Changes;

/// <summary>PagerDuty's accepted body for a change event.</summary>
public sealed record ChangeAccepted(string Status, string Message)
{
    public static readonly ChangeAccepted Instance = new("success", "Change event processed");
}

public static class ChangeEndpoints
{
    /// <summary>
    /// <c>POST /v2/change/enqueue</c>, wire-compatible with PagerDuty's Change Events API and authenticated, like
    /// <c>/v2/enqueue</c>, by the service's routing key alone. A 202 means the change is committed.
    /// </summary>
    public static void MapChangeEvents(this IEndpointRouteBuilder app) =>
        app.MapPost("/v2/change/enqueue", async (HttpContext context, ConfigurationStore store, FailedAuthentications failures, ChangeEventStore changes,
            ReleaseLookup releases, IntegrationStore integrations, IGrainFactory grains, Microsoft.Extensions.Logging.ILoggerFactory logs) =>
        {
            var (change, rejected) = await EventRequest.Read(context, ChangeEvent.Parse);
            if (change is null) return rejected!;
            var (service, refused) = await EventRequest.Authenticate(context, change.RoutingKey, failures, store);
            if (service is null) return refused!;
            var recorded = await changes.Record(service.Id, change.Summary, change.Source, change.Timestamp, change.CustomDetailsJson, change.Links);
            if (ReleaseEndpoints.ReleaseOf(change.CustomDetailsJson) is (true, var releasedBy))
                await ReleaseEndpoints.Watch(recorded, service, releasedBy, releases, integrations, grains, logs);
            return EventRequest.Json(StatusCodes.Status202Accepted, ChangeAccepted.Instance);
        }).WithTags("events").AllowAnonymous();

    /// <summary><c>GET /api/v1/services/{id}/changes?from=&amp;to=&amp;limit=</c>: the service's changes, newest first.</summary>
    public static void MapChanges(this RouteGroupBuilder api) =>
        api.MapGet("/services/{id}/changes", async (string id, string? from, string? to, string? limit, ConfigurationStore store, ChangeEventStore changes) =>
        {
            var v = new Validator();
            var since = v.Timestamp("from", from, required: false);
            var until = v.Timestamp("to", to, required: false);
            if (since is not null && until is not null && since > until) v.Add("from", "'from' must not be later than 'to'.");
            var pageSize = v.WholeNumber("limit", limit, 1, 100);
            if (!v.IsValid) return Problems.Validation(v.Errors);
            if (await store.FindService(id) is null) return Problems.NotFound($"There is no service '{id}'.");
            return Results.Ok(await changes.ForService(id, since, until, pageSize ?? 25));
        }).WithTags("service").RequireAuthorization(Policies.Responder);
}
