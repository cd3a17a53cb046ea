namespace Escalation.Keys;

/// <summary>
/// Makes outside text (a dedup key, an id from a URL) safe as part of a grain key. Orleans' ADO.NET storage uses
/// a grain's key as the format of a <c>string.Format</c> when it writes (<c>AdoGrainKey.ToString</c>), so a key
/// holding a brace fails every write of that grain; and Orleans refuses a key that is empty or only whitespace.
/// </summary>
/// <remarks>
/// Text without braces that does not start with <see cref="Mark"/> (and is not blank) is kept as it is, so every key
/// made before this escaping existed still finds its grain. Any other text becomes the mark followed by the text with '%', '{' and
/// '}' percent-encoded. The two forms cannot meet (only the second starts with the mark), so distinct texts keep
/// distinct keys; an escaped text is at most 1 + 3 × its length.
/// </remarks>
public static class GrainKey
{
    public const char Mark = '%';

    public static string Escape(string text) =>
        IsSafe(text) ? text : Mark + text.Replace("%", "%25").Replace("{", "%7B").Replace("}", "%7D");

    /// <summary>The text <see cref="Escape"/> was given. Every '%' after the mark starts one of its escapes.</summary>
    public static string Unescape(string key) => key.StartsWith(Mark) ? Uri.UnescapeDataString(key[1..]) : key;

    private static bool IsSafe(string text) =>
        !string.IsNullOrWhiteSpace(text) && !text.StartsWith(Mark) && text.AsSpan().IndexOfAny('{', '}') < 0;
}
