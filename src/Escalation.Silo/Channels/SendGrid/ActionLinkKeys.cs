using System.Security.Cryptography;
using Escalation.Storage.Secrets;
using Microsoft.Extensions.Configuration;

namespace Escalation.Silo.Channels.SendGrid;

/// <summary>
/// The key that signs email action links: <c>Escalation:Links:SigningKey</c> (base64, 32 bytes or more) when set,
/// otherwise one made on first start and kept in the database, so that every silo signs and checks alike.
/// </summary>
public sealed class ActionLinkKeys(ServiceSecrets secrets, IConfiguration configuration)
{
    public const string Setting = "Escalation:Links:SigningKey";
    private const string SecretName = "action-link-signing-key";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ActionLinkSigner? _signer;

    public async Task<ActionLinkSigner> Signer()
    {
        if (_signer is not null) return _signer;
        await _gate.WaitAsync();
        try
        {
            return _signer ??= new ActionLinkSigner(ConfiguredKey() ?? await Stored());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The configured key, checked when the service starts (<see cref="SendGridRegistration"/>).</summary>
    private byte[]? ConfiguredKey() => configuration[Setting] is { Length: > 0 } key ? Parse(key) : null;

    /// <summary>The key in a setting: base64 of 32 bytes or more; null when it is not one.</summary>
    public static byte[]? Parse(string value)
    {
        var bytes = new byte[value.Length];
        return Convert.TryFromBase64String(value, bytes, out var length) && length >= 32 ? bytes[..length] : null;
    }

    private Task<byte[]> Stored() => secrets.GetOrCreate(SecretName, () => RandomNumberGenerator.GetBytes(32));
}
