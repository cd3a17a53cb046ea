using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Escalation.Silo.Channels.Discord;

/// <summary>
/// What a webhook's answer means for the delivery. A 2xx means Discord has the message, whatever the body says: it is
/// never tried again. Errors are told by their status and Discord's own code and message, never by the URL.
/// </summary>
internal static class DiscordApiOutcome
{
    /// <param name="call">"execute webhook" or "edit message", for the error.</param>
    /// <param name="editing">An edit, whose 404 means the message was deleted: nothing is left to keep up to date.</param>
    public static DeliveryOutcome From(HttpResponseMessage response, string body, string call, bool editing)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
            return new DeliveryOutcome.Delivered(ProviderJson.StringOf(ProviderJson.Object(body)?["id"]));
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            return new DeliveryOutcome.Transient($"discord: {call} rate limited (HTTP 429)", RetryAfter(response, body));
        if (status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout)
            return new DeliveryOutcome.Transient($"discord: {call} answered HTTP {status}{Told(body)}", response.Headers.RetryAfter?.Delta);
        if (editing && response.StatusCode == HttpStatusCode.NotFound)
            return new DeliveryOutcome.Delivered(null);
        // The webhook itself is refused or gone (its token revoked, the webhook deleted): an operator must act.
        if (status is 401 or 403 or 404)
            return DeliveryOutcome.Transient.RefusedBy($"discord: {call} answered HTTP {status}{Told(body)}");
        return new DeliveryOutcome.Permanent($"discord: {call} answered HTTP {status}{Told(body)}");
    }

    /// <summary>The Retry-After header, or else the seconds of the body's <c>retry_after</c>.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response, string body)
    {
        if (response.Headers.RetryAfter?.Delta is { } delta) return delta;
        return ProviderJson.Object(body)?["retry_after"] is JsonValue value && value.TryGetValue<double>(out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    /// <summary>Discord's error code and message, as ": 50035 Invalid Form Body", or nothing.</summary>
    private static string Told(string body)
    {
        if (ProviderJson.Object(body) is not { } error) return "";
        var code = error["code"] is JsonValue c && c.TryGetValue<long>(out var n) ? n.ToString(CultureInfo.InvariantCulture) + " " : "";
        var message = ProviderJson.StringOf(error["message"]) ?? "";
        var told = (code + message).Trim();
        return told.Length == 0 ? "" : ": " + (told.Length > 200 ? told[..200] + "…" : told);
    }
}
