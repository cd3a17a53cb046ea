using System.Text.Json;
using Escalation.Api.Auth;
using Escalation.Api.Http;
using Escalation.Configuration;
using Escalation.Json;
using Escalation.Storage.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Escalation.Api.Events;

/// <summary>
/// What every PagerDuty-compatible endpoint (<c>/v2/enqueue</c>, <c>/v2/change/enqueue</c>) does around its own
/// fields: PagerDuty's 512 KB limit, JSON that parses and PostgreSQL can store, the routing key that finds the
/// service, and PagerDuty's error bodies.
/// </summary>
public static class EventRequest
{
    public const int MaxBodyBytes = 512 * 1024;

    /// <summary>
    /// Reads the body and parses it with <paramref name="parse"/>: the parsed event, or the 400/413 to answer.
    /// </summary>
    public static async Task<(T? Event, IResult? Rejected)> Read<T>(HttpContext context, Func<JsonElement, (T? Event, List<string> Errors)> parse)
        where T : class
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxBodyBytes;
        if (context.Request.ContentLength > MaxBodyBytes) return (null, TooLarge());

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
            return (null, Rejected("Event is not valid JSON"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }

        using (document)
        {
            if (JsonText.HasNul(text)) return (null, Rejected("Event text must not contain the NUL character"));
            if (JsonText.HasInvalidUnicode(document.RootElement)) return (null, Rejected("Event holds text that is not valid Unicode"));
            try
            {
                var (ev, errors) = parse(document.RootElement);
                return ev is null ? (null, Rejected(errors)) : (ev, null);
            }
            catch (InvalidOperationException)
            {
                return (null, Rejected("Event holds text that is not valid Unicode"));
            }
        }
    }

    /// <summary>The service <paramref name="routingKey"/> belongs to, or the 400 (unknown key) or 429 (too many unknown keys) to answer.</summary>
    public static async Task<(Service? Service, IResult? Rejected)> Authenticate(
        HttpContext context, string routingKey, FailedAuthentications failures, ConfigurationStore store)
    {
        var check = await failures.Check(context, "routing-key", routingKey, store.FindServiceByIntegrationKey);
        if (check.Throttled)
            return (null, new TooManyRequests(check.RetryAfter!.Value, "Too many unknown routing keys came from this address: try again later."));
        return check.Found is { } service ? (service, null) : (null, Rejected("Invalid routing key"));
    }

    public static IResult Rejected(string error) => Rejected([error]);

    public static IResult Rejected(IReadOnlyList<string> errors) => Json(StatusCodes.Status400BadRequest, EventRejected.For(errors));

    public static IResult Json<T>(int status, T body) => Results.Json(body, EscalationJson.Options, statusCode: status);

    private static IResult TooLarge() =>
        Json(StatusCodes.Status413PayloadTooLarge, EventRejected.For([$"Event is larger than {MaxBodyBytes / 1024} KB"]));
}
