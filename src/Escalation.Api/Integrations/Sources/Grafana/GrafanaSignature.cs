using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Escalation.Api.Integrations.Sources.Grafana;

/// <summary>
/// Grafana alerting's HMAC signature (the webhook contact point's "HMAC Signature" options, Grafana 12): the lowercase
/// hex HMAC-SHA256 of the body, keyed with the secret as UTF-8, in <c>X-Grafana-Alerting-Signature</c> unless another
/// header is configured. With a timestamp header configured Grafana puts the Unix seconds in it and signs
/// <c>{timestamp}:{body}</c>; such a signature older than <see cref="MaxAge"/> is refused as stale.
/// </summary>
public static class GrafanaSignature
{
    public const string DefaultHeader = "X-Grafana-Alerting-Signature";

    /// <summary>The header Grafana's own signer (grafana/alerting http/hmac.go) falls back to when none is set.</summary>
    public const string FallbackHeader = "X-Grafana-Alert-Signature";

    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    /// <summary>Null when the request is signed with <paramref name="secret"/>; otherwise why not.</summary>
    public static string? Check(string secret, byte[] body, IHeaderDictionary headers, GrafanaSettings settings, DateTimeOffset now)
    {
        var sent = settings.SignatureHeader is { } configured
            ? headers[configured].ToString()
            : headers[DefaultHeader] is { Count: > 0 } d ? d.ToString() : headers[FallbackHeader].ToString();
        if (string.IsNullOrEmpty(sent)) return $"The request carries no {settings.SignatureHeader ?? DefaultHeader} header, and this integration has a signing secret.";

        byte[] signed = body;
        if (settings.TimestampHeader is { } timestampHeader)
        {
            var timestamp = headers[timestampHeader].ToString();
            if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                return $"The request carries no Unix timestamp in {timestampHeader}.";
            if (seconds > now.ToUnixTimeSeconds() + (long)MaxAge.TotalSeconds || seconds < now.ToUnixTimeSeconds() - (long)MaxAge.TotalSeconds)
                return $"The signature's timestamp is more than {MaxAge.TotalMinutes:0} minutes away from now: stale or replayed.";
            signed = [.. Encoding.UTF8.GetBytes(timestamp + ":"), .. body];
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        byte[] given;
        try
        {
            given = Convert.FromHexString(sent.Trim());
        }
        catch (FormatException)
        {
            return "The signature is not hex.";
        }
        return CryptographicOperations.FixedTimeEquals(expected, given) ? null : "The signature does not match the body.";
    }

    public static string Sign(string secret, byte[] body, string? timestamp = null) => Convert.ToHexStringLower(
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), timestamp is null ? body : [.. Encoding.UTF8.GetBytes(timestamp + ":"), .. body]));
}
