using System.Security.Cryptography;
using System.Text;

namespace Escalation.Silo.Channels.Twilio;

/// <summary>
/// Twilio's <c>X-Twilio-Signature</c> for form-encoded webhooks: the full URL Twilio called (query string included),
/// then every POST parameter's name and value appended with no separators, sorted by name; HMAC-SHA1 keyed with the
/// auth token, base64.
/// </summary>
public static class TwilioSignature
{
    public const string Header = "X-Twilio-Signature";

    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> formParameters)
    {
        var signed = new StringBuilder(url);
        // A name sent more than once sorts by value as well, as Twilio's own SDKs do.
        foreach (var (name, value) in formParameters
                     .OrderBy(p => p.Key, StringComparer.Ordinal)
                     .ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            signed.Append(name).Append(value);
        }
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(signed.ToString()));
        return Convert.ToBase64String(mac);
    }

    public static bool Verify(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form, string? signatureHeader)
    {
        if (string.IsNullOrEmpty(signatureHeader) || string.IsNullOrEmpty(authToken))
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Compute(authToken, url, form));
        var presented = Encoding.UTF8.GetBytes(signatureHeader.Trim());
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }
}
