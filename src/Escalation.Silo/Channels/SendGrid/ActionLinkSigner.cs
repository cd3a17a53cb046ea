using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Escalation.Silo.Channels.SendGrid;

/// <summary>
/// Turns an <see cref="ActionLink"/> into a URL-safe token, <c>base64url(payload).base64url(HMAC-SHA256(key, payload))</c>,
/// and back. The payload is a small JSON object, so ids may hold any character, the separator included; a token
/// without the incident's cycle (made before links had one) is not a link.
/// Expiry is kept to the whole second, rounded down.
/// </summary>
public sealed class ActionLinkSigner
{
    public const int MinimumKeyLength = 32;

    private const int SignatureLength = HMACSHA256.HashSizeInBytes;
    private const int MaxTokenLength = 4096;
    private const string AcknowledgeCode = "ack";
    private const string ResolveCode = "res";

    private readonly byte[] _key;

    public ActionLinkSigner(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinimumKeyLength)
            throw new ArgumentException($"An action link key needs at least {MinimumKeyLength} bytes.", nameof(key));
        _key = key.ToArray();
    }

    public string Create(ActionLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentException.ThrowIfNullOrEmpty(link.IncidentId);
        ArgumentException.ThrowIfNullOrEmpty(link.UserId);
        var payload = JsonSerializer.SerializeToUtf8Bytes(
            new Payload(link.IncidentId, link.Cycle, link.UserId, Code(link.Action), link.ExpiresAt.ToUnixTimeSeconds()));
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(Sign(payload));
    }

    /// <summary>
    /// Checks a token. <paramref name="link"/> is set whenever the signature holds (<see cref="LinkCheck.Valid"/> or
    /// <see cref="LinkCheck.Expired"/>), so a page can still say which incident an expired link was for.
    /// </summary>
    public LinkCheck Read(string? token, DateTimeOffset now, out ActionLink? link)
    {
        link = null;
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
            return LinkCheck.Malformed;

        var dot = token.IndexOf('.');
        if (dot <= 0 || dot != token.LastIndexOf('.')
            || !TryDecode(token.AsSpan(0, dot), out var payload)
            || !TryDecode(token.AsSpan(dot + 1), out var signature)
            || signature.Length != SignatureLength)
        {
            return LinkCheck.Malformed;
        }

        if (!CryptographicOperations.FixedTimeEquals(Sign(payload), signature))
            return LinkCheck.Forged;

        link = Parse(payload);
        if (link is null)
            return LinkCheck.Malformed;
        return now >= link.ExpiresAt ? LinkCheck.Expired : LinkCheck.Valid;
    }

    private byte[] Sign(byte[] payload) => HMACSHA256.HashData(_key, payload);

    private static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        // Check first: Base64Url.TryDecodeFromChars throws on characters outside the alphabet.
        bytes = !text.IsEmpty && Base64Url.IsValid(text) ? Base64Url.DecodeFromChars(text) : [];
        return bytes.Length > 0;
    }

    private static ActionLink? Parse(byte[] json)
    {
        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<Payload>(json);
        }
        catch (JsonException)
        {
            return null;
        }
        if (payload is not { IncidentId: { Length: > 0 } incidentId, Cycle: int cycle, UserId: { Length: > 0 } userId, ExpiresAt: { } expiresAt }
            || cycle < 0
            || Action(payload.Action) is not { } action
            || expiresAt < DateTimeOffset.MinValue.ToUnixTimeSeconds()
            || expiresAt > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return null;
        }
        return new ActionLink(incidentId, cycle, userId, action, DateTimeOffset.FromUnixTimeSeconds(expiresAt));
    }

    private static string Code(LinkAction action) => action switch
    {
        LinkAction.Acknowledge => AcknowledgeCode,
        LinkAction.Resolve => ResolveCode,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Not a link action."),
    };

    private static LinkAction? Action(string? code) => code switch
    {
        AcknowledgeCode => LinkAction.Acknowledge,
        ResolveCode => LinkAction.Resolve,
        _ => null,
    };

    private sealed record Payload(
        [property: JsonPropertyName("i")] string? IncidentId,
        [property: JsonPropertyName("c")] int? Cycle,
        [property: JsonPropertyName("u")] string? UserId,
        [property: JsonPropertyName("a")] string? Action,
        [property: JsonPropertyName("e")] long? ExpiresAt);
}
