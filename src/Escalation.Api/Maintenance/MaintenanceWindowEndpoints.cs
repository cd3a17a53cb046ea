using System.Security.Claims;
using Escalation.Api.Auth;
using Escalation.Api.Http;
using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Maintenance;
using Escalation.Storage.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Escalation.Api.Maintenance;

/// <summary>
/// <c>/maintenance-windows</c>: while one is in effect its services page nobody (see the window and incident grains).
/// Any responder may create and end one, as engineers schedule their own maintenance.
/// </summary>
public static class MaintenanceWindowEndpoints
{
    public static void MapMaintenanceWindows(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/maintenance-windows").WithTags("maintenance").RequireAuthorization(Policies.Responder);

        group.MapGet("/", async ([FromQuery(Name = "service_id")] string? serviceId, IMaintenanceCalendar calendar, TimeProvider clock) =>
        {
            if (serviceId is not null && !Validator.IdPattern().IsMatch(serviceId))
                return Problems.Validation("service_id", $"'{serviceId}' is not a valid service id.");
            var now = clock.GetUtcNow();
            return Results.Ok((await calendar.Current(now, serviceId)).Select(w => MaintenanceWindowView.Of(w, now)));
        });

        group.MapGet("/{id}", async (string id, IMaintenanceCalendar calendar, TimeProvider clock) =>
            await calendar.Get(id) is { } window ? Results.Ok(MaintenanceWindowView.Of(window, clock.GetUtcNow())) : Missing(id));

        group.MapPost("/", async (HttpRequest request, ClaimsPrincipal user, ConfigurationStore store, IMaintenanceCalendar calendar,
            IGrainFactory grains, TimeProvider clock) =>
        {
            var (body, bad) = await JsonBody.Read<MaintenanceWindowBody>(request);
            if (bad is not null) return bad;
            var v = new Validator();
            var now = clock.GetUtcNow();
            var window = body!.Build(v, MaintenanceKeys.NewId(), Actor.Of(user, null, "by").Actor!, now);
            if (window is null) return Problems.Validation(v.Errors);
            var missing = await store.Missing(ConfigurationStore.Tables.Services, window.Services);
            if (missing.Count > 0) return Problems.MissingReferences(missing.Select(s => ("service", s)).ToList());

            // Stored first: from here an incident arriving for these services holds itself. The grain then announces
            // the window and holds the incidents already open, if it is in effect now.
            await calendar.Put(window);
            await grains.GetGrain<IMaintenanceWindowGrain>(MaintenanceKeys.For(window.Id)).Reschedule();
            return Results.Created($"{request.PathBase}{request.Path}/{window.Id}", MaintenanceWindowView.Of(window, now));
        });

        group.MapPost("/{id}/end", async (string id, ClaimsPrincipal user, IMaintenanceCalendar calendar, IGrainFactory grains, TimeProvider clock) =>
        {
            var result = await grains.GetGrain<IMaintenanceWindowGrain>(MaintenanceKeys.For(id)).End(Actor.Of(user, null, "by").Actor!);
            return result.Outcome switch
            {
                CommandOutcome.Done when await calendar.Get(id) is { } window => Results.Ok(MaintenanceWindowView.Of(window, clock.GetUtcNow())),
                CommandOutcome.Conflict => Problems.Conflict(result.Message!),
                _ => Missing(id),
            };
        });

        group.MapDelete("/{id}", async (string id, IMaintenanceCalendar calendar, IGrainFactory grains) =>
        {
            if (!await calendar.Delete(id)) return Missing(id);
            await grains.GetGrain<IMaintenanceWindowGrain>(MaintenanceKeys.For(id)).Forget();
            return Results.NoContent();
        });
    }

    private static IResult Missing(string id) => Problems.NotFound($"There is no maintenance window '{id}'.");
}
