using System.Security.Cryptography;

namespace Escalation.Incidents;

/// <summary>Incident ids are ULIDs: 26 Crockford base32 characters that sort by creation time.</summary>
public static class IncidentIds
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static bool IsWellFormed(string id) => id.Length == 26 && id.All(c => Alphabet.Contains(c));

    public static string New(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = now.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--, ms >>= 8) bytes[i] = (byte)ms;
        RandomNumberGenerator.Fill(bytes[6..]);

        var value = new UInt128(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[..8]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
        Span<char> chars = stackalloc char[26];
        for (var i = 25; i >= 0; i--, value >>= 5) chars[i] = Alphabet[(int)(value & 31)];
        return new string(chars);
    }
}
