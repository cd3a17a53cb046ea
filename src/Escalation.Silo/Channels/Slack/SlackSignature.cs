using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Escalation.Silo.Channels.Slack;

/// <summary>
/// Checks the X-Slack-Signature on a request from Slack, as Slack's "Verifying requests from Slack" describes:
/// HMAC-SHA256 of <c>v0:{X-Slack-Request-Timestamp}:{raw body}</c> keyed with the app's signing secret.
/// </summary>
public static class SlackSignature
{
    public const string TimestampHeader = "X-Slack-Request-Timestamp";
    public const string SignatureHeader = "X-Slack-Signature";

    /// <summary>How far the request's timestamp may be from now, either way.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private const string Version = "v0";

    /// <param name="rawBody">The body exactly as received, before any form or JSON parsing.</param>
    public static SignatureCheck Verify(
        string signingSecret, string? timestampHeader, string? signatureHeader, string rawBody, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(signingSecret) || string.IsNullOrEmpty(timestampHeader) || string.IsNullOrEmpty(signatureHeader))
            return SignatureCheck.Missing;

        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var signedAt))
            return SignatureCheck.Forged;

        var nowSeconds = now.ToUnixTimeSeconds();
        var toleranceSeconds = (long)Tolerance.TotalSeconds;
        if (signedAt < nowSeconds - toleranceSeconds || signedAt > nowSeconds + toleranceSeconds)
            return SignatureCheck.Stale;

        var expected = Encoding.ASCII.GetBytes(Compute(signingSecret, timestampHeader, rawBody));
        var received = Encoding.UTF8.GetBytes(signatureHeader);
        return CryptographicOperations.FixedTimeEquals(expected, received) ? SignatureCheck.Valid : SignatureCheck.Forged;
    }

    /// <summary>The header value Slack would send for this timestamp and body: <c>v0=</c> and lowercase hex.</summary>
    public static string Compute(string signingSecret, string timestamp, string rawBody)
    {
        var mac = HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(signingSecret),
            Encoding.UTF8.GetBytes($"{Version}:{timestamp}:{rawBody}"));
        return $"{Version}={Convert.ToHexStringLower(mac)}";
    }
}
