using System.Globalization;
using System.Text.Json;

namespace Escalation.Api.Integrations.Sources.Webhook;

/// <summary>
/// An RFC 6901 JSON pointer over System.Text.Json. Written here rather than taken from JsonPointer.Net: its 6.x
/// needs Humanizer.Core 3, which WireMock's Handlebars pins to 2.14.1 in the tests.
/// </summary>
internal readonly record struct JsonPointer(IReadOnlyList<string> Tokens)
{
    public static readonly JsonPointer Whole = new([]);

    /// <summary>"" (the whole document) or "/"-separated tokens, with <c>~1</c> for '/' and <c>~0</c> for '~'.</summary>
    public static bool TryParse(string text, out JsonPointer pointer)
    {
        pointer = Whole;
        if (text.Length == 0) return true;
        if (text[0] != '/') return false;
        var tokens = new List<string>();
        foreach (var raw in text[1..].Split('/'))
        {
            for (var i = raw.IndexOf('~'); i >= 0; i = raw.IndexOf('~', i + 1))
                if (i + 1 >= raw.Length || raw[i + 1] is not ('0' or '1')) return false;
            tokens.Add(raw.Replace("~1", "/").Replace("~0", "~"));
        }
        pointer = new JsonPointer(tokens);
        return true;
    }

    /// <summary>The value the pointer names, or null when the document has nothing there.</summary>
    public JsonElement? Evaluate(JsonElement root)
    {
        var at = root;
        foreach (var token in Tokens)
        {
            if (at.ValueKind == JsonValueKind.Object && at.TryGetProperty(token, out var member)) at = member;
            else if (at.ValueKind == JsonValueKind.Array && IsIndex(token, out var index) && index < at.GetArrayLength()) at = at[index];
            else return null;
        }
        return at;
    }

    /// <summary>RFC 6901 array indexes: decimal digits without leading zeros ("-", past the end, names nothing).</summary>
    private static bool IsIndex(string token, out int index)
    {
        index = -1;
        return token.Length > 0 && (token == "0" || token[0] != '0') && token.All(char.IsAsciiDigit)
            && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }
}
