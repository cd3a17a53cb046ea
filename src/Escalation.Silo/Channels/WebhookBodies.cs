using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Escalation.Silo.Channels;

public static class WebhookBodies
{
    /// <summary>The body exactly as sent (signatures are over the raw bytes); null when it is larger than <paramref name="limit"/>.</summary>
    public static async Task<string?> ReadRaw(HttpRequest request, int limit)
    {
        if (request.ContentLength > limit) return null;
        using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8);
        var buffer = new char[limit + 1];
        var read = await reader.ReadBlockAsync(buffer, 0, buffer.Length);
        return read > limit ? null : new string(buffer, 0, read);
    }

    /// <summary>Whether any of the texts holds a NUL character, which PostgreSQL cannot store or compare.</summary>
    public static bool HoldNul(IEnumerable<string?> texts) => texts.Any(t => t?.Contains('\0') == true);

    /// <summary>An application/x-www-form-urlencoded body as name/value pairs, in the order sent.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Form(string body) =>
        QueryHelpers.ParseQuery(body).SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? ""))).ToList();
}
