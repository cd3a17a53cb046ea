using Escalation.Api.Alerts;
using Escalation.Api.Auth;
using Escalation.Configuration;
using Escalation.Storage.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escalation.Api.Events;

/// <summary>
/// <c>POST /v2/enqueue</c>, wire-compatible with PagerDuty's Events API v2. Authenticated by the routing key alone.
/// A 202 is only sent once the event is durable in the incident's grain state.
/// </summary>
public static class EventsV2Endpoint
{
    public static void MapEventsV2(this IEndpointRouteBuilder app) =>
        app.MapPost("/v2/enqueue", Enqueue).WithTags("events").AllowAnonymous().CountedAs("events_v2");

    private static async Task<IResult> Enqueue(HttpContext context, ConfigurationStore store, FailedAuthentications failures, AlertIntake intake)
    {
        var (ev, rejected) = await EventRequest.Read(context, EventV2.Parse);
        if (ev is null) return rejected!;
        var (service, refused) = await EventRequest.Authenticate(context, ev.RoutingKey, failures, store);
        if (service is null) return refused!;

        return EventRequest.Json(StatusCodes.Status202Accepted, EventAccepted.For((await intake.Accept(service, ev.Alert)).DedupKey));
    }
}
