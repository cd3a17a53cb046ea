using System.Security.Cryptography;
using System.Text;

namespace Escalation.Tests.Channels;

/// <summary>How Slack and Twilio sign their requests, written out again here so the service's verifiers are checked independently.</summary>
public static class ProviderSignatures
{
    public static string Slack(string secret, long timestamp, string body) =>
        "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));

    public static string Twilio(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken),
            Encoding.UTF8.GetBytes(url + string.Concat(form.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + p.Value)))));
}
