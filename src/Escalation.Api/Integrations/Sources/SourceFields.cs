using System.Text.Json;

namespace Escalation.Api.Integrations.Sources;

/// <summary>Reading a tool's JSON leniently, and the limits every source keeps alike.</summary>
internal static class SourceFields
{
    /// <summary>An alert's summary is at most this long; longer ones are cut (see <see cref="Summary"/>).</summary>
    public const int MaxSummary = 1024;

    /// <summary>As Events v2: a dedup key longer than this is refused, never cut (two keys cut alike would merge).</summary>
    public const int MaxDedupKey = 255;

    /// <summary>A string member, or a number's text (tools send ids either way); null when absent, null or blank.</summary>
    public static string? Text(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var value)) return null;
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    public static JsonElement? Object(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : null;

    public static JsonElement? Array(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value
            : null;

    /// <summary>The members of an object whose values are strings, numbers or booleans, as text.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Scalars(JsonElement? obj)
    {
        if (obj is not { ValueKind: JsonValueKind.Object } o) yield break;
        foreach (var p in o.EnumerateObject())
        {
            var text = ScalarText(p.Value);
            if (text is not null) yield return new(p.Name, text);
        }
    }

    public static string? ScalarText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    /// <summary>
    /// A summary as every source keeps it: trimmed, and when longer than <see cref="MaxSummary"/> cut to that length
    /// ending in "…" (never inside a surrogate pair). Cut rather than refused: the tool cannot shorten its titles,
    /// and a refused alert would page nobody.
    /// </summary>
    public static string Summary(string text)
    {
        text = text.Trim();
        if (text.Length <= MaxSummary) return text;
        var keep = MaxSummary - 1;
        if (char.IsHighSurrogate(text[keep - 1])) keep--;
        return string.Concat(text.AsSpan(0, keep), "…");
    }

}
