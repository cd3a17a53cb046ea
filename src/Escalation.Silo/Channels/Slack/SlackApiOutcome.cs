using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Escalation.Silo.Channels.Slack;

/// <summary>
/// What a Web API answer means for the delivery. Slack reports most failures as HTTP 200 with <c>ok:false</c> and an
/// error code; only a few of those codes are worth another attempt.
/// </summary>
internal static class SlackApiOutcome
{
    private static readonly HashSet<string> TransientErrors = new(StringComparer.Ordinal)
    {
        "ratelimited", "rate_limited", "internal_error", "fatal_error", "service_unavailable", "request_timeout",
    };

    /// <summary>The token or the app is refused, whoever the message is for: an operator must act; the page is retried.</summary>
    private static readonly HashSet<string> RefusalErrors = new(StringComparer.Ordinal)
    {
        "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "no_permission", "missing_scope",
        "not_allowed_token_type", "team_access_not_granted", "ekm_access_denied", "invalid_token",
    };

    /// <param name="requestedChannel">Used for the delivered id if Slack's answer leaves the channel out.</param>
    public static DeliveryOutcome From(HttpResponseMessage response, string body, string method, string requestedChannel)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            return new DeliveryOutcome.Transient($"slack: {method} rate limited (HTTP 429)", response.Headers.RetryAfter?.Delta);
        if (status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout)
            return new DeliveryOutcome.Transient($"slack: {method} answered HTTP {status}");
        if (status is 401 or 403 or 404)
            return DeliveryOutcome.Transient.RefusedBy($"slack: {method} answered HTTP {status}");
        if (status >= 400)
            return new DeliveryOutcome.Permanent($"slack: {method} answered HTTP {status}");

        if (ProviderJson.Object(body) is not { } answer || answer["ok"] is not JsonValue okValue || !okValue.TryGetValue<bool>(out var ok))
            return new DeliveryOutcome.Transient($"slack: {method} gave an unreadable answer (HTTP {status})");

        if (ok)
        {
            var ts = ProviderJson.StringOf(answer["ts"]);
            return new DeliveryOutcome.Delivered(ts is null ? null : $"{ProviderJson.StringOf(answer["channel"]) ?? requestedChannel}/{ts}");
        }

        var error = SlackMrkdwn.Fit(ProviderJson.StringOf(answer["error"]) ?? "unknown_error", 100);
        if (RefusalErrors.Contains(error)) return DeliveryOutcome.Transient.RefusedBy($"slack: {error}");
        return TransientErrors.Contains(error)
            ? new DeliveryOutcome.Transient($"slack: {error}", response.Headers.RetryAfter?.Delta)
            : new DeliveryOutcome.Permanent($"slack: {error}");
    }
}
