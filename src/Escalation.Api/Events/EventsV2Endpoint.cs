using System.Text.Json;
using Escalation.Api.Alerts;
using Escalation.Api.Auth;
using Escalation.Api.Http;
using Escalation.Configuration;
using Escalation.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Escalation.Api.Events;

/// <summary>
/// <c>POST /v2/enqueue</c>, wire-compatible with PagerDuty's Events API v2. Authenticated by the routing key alone.
/// A 202 is only sent once the event is durable in the incident's grain state.
/// </summary>
public static class EventsV2Endpoint
{
    public static void MapEventsV2(this IEndpointRouteBuilder app) =>
        app.MapPost("/v2/enqueue", Enqueue).WithTags("events").AllowAnonymous();

    private static async Task<IResult> Enqueue(HttpContext context, ConfigurationStore store, FailedAuthentications failures, AlertIntake intake)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = EventV2.MaxBodyBytes;
        if (context.Request.ContentLength > EventV2.MaxBodyBytes) return TooLarge();

        string text;
        JsonDocument document;
        try
        {
            using var reader = new StreamReader(context.Request.Body);
            text = await reader.ReadToEndAsync(context.RequestAborted);
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return Rejected("Event is not valid JSON");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }

        using (document)
        {
            if (JsonText.HasNul(text)) return Rejected("Event text must not contain the NUL character");
            if (JsonText.HasInvalidUnicode(document.RootElement)) return Rejected("Event holds text that is not valid Unicode");
            EventV2? ev;
            List<string> errors;
            try
            {
                (ev, errors) = EventV2.Parse(document.RootElement);
            }
            catch (InvalidOperationException)
            {
                return Rejected("Event holds text that is not valid Unicode");
            }
            if (ev is null) return Json(StatusCodes.Status400BadRequest, EventRejected.For(errors));

            var check = await failures.Check(context, "routing-key", ev.RoutingKey, store.FindServiceByIntegrationKey);
            if (check.Throttled)
                return new TooManyRequests(check.RetryAfter!.Value, "Too many unknown routing keys came from this address: try again later.");
            if (check.Found is not { } service) return Rejected("Invalid routing key");

            return Accepted((await intake.Accept(service, ev.Alert)).DedupKey);
        }
    }

    private static IResult Accepted(string dedupKey) => Json(StatusCodes.Status202Accepted, EventAccepted.For(dedupKey));

    private static IResult Rejected(string error) => Json(StatusCodes.Status400BadRequest, EventRejected.For([error]));

    private static IResult TooLarge() =>
        Json(StatusCodes.Status413PayloadTooLarge, EventRejected.For([$"Event is larger than {EventV2.MaxBodyBytes / 1024} KB"]));

    private static IResult Json<T>(int status, T body) => Results.Json(body, EscalationJson.Options, statusCode: status);
}
