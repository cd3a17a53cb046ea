using System.Security.Cryptography;
using System.Text;

namespace Escalation.Storage.Auth;

/// <summary>
/// Random 256-bit bearer secrets (API keys, calendar feed tokens). There is nothing to guess, so a plain SHA-256
/// is enough to store them: the secret itself is shown once and never stored or logged.
/// </summary>
public static class SecretTokens
{
    public static string New(string prefix) => prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
