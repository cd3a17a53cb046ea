using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Escalation.Api.Integrations.Sources.Sentry;

/// <summary>
/// Sentry's integration-platform signature: <c>Sentry-Hook-Signature</c> is the lowercase hex HMAC-SHA256 of the raw
/// body keyed with the client secret, and <c>Sentry-Hook-Timestamp</c> the Unix seconds it was sent at
/// (sentry: src/sentry/sentry_apps/api/serializers/app_platform_event.py, SentryApp.build_signature).
/// </summary>
public static class HookSignature
{
    public const string SignatureHeader = "Sentry-Hook-Signature";
    public const string TimestampHeader = "Sentry-Hook-Timestamp";

    /// <summary>
    /// How far the timestamp may be from our clock, either way. The timestamp is not signed, so this only turns away
    /// a replay that kept Sentry's headers; a signed body with a new timestamp still passes. Five minutes, as most
    /// receivers of signed webhooks allow, is far more than Sentry's one-second send timeout and any clock skew.
    /// </summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>Null when the request is signed with <paramref name="secret"/> and fresh, else why not.</summary>
    public static string? Verify(SourceRequest request, string secret)
    {
        var signature = request.Headers[SignatureHeader].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(signature)) return $"{SignatureHeader} is missing";

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), request.Body);
        if (!TryHex(signature.Trim(), out var given) || !CryptographicOperations.FixedTimeEquals(given, expected))
            return $"{SignatureHeader} does not match the body signed with the integration's client secret";

        var timestamp = request.Headers[TimestampHeader].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(timestamp)) return $"{TimestampHeader} is missing";
        if (!long.TryParse(timestamp.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            return $"{TimestampHeader} is not a Unix time in seconds";
        var sentAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((request.Now - sentAt).Duration() > Tolerance)
            return $"{TimestampHeader} is stale: sent at {sentAt:O}, more than {Tolerance.TotalMinutes:0} minutes from now";
        return null;
    }

    private static bool TryHex(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length != 64) return false;
        try
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
