using System.Text;

namespace Escalation.Silo.Channels.Twilio;

/// <summary>Makes text from alerts (titles, service names) safe and short enough for an SMS.</summary>
internal static class SmsFreeText
{
    // "…" is not in the GSM-7 alphabet: one of them switches the whole SMS to UCS-2 and cuts a segment from 160 to 70 characters.
    private const string Ellipsis = "...";

    /// <summary>
    /// Control characters become spaces, bidirectional overrides (which could make "1a" read as another code) go, and
    /// runs of whitespace collapse to one space.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var cleaned = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (IsBidiControl(c))
            {
                continue;
            }
            var next = char.IsControl(c) ? ' ' : c;
            if (char.IsWhiteSpace(next) && (cleaned.Length == 0 || cleaned[^1] == ' '))
            {
                continue;
            }
            cleaned.Append(char.IsWhiteSpace(next) ? ' ' : next);
        }
        return cleaned.ToString().TrimEnd();
    }

    /// <summary>At most <paramref name="maxLength"/> characters, marked with "..." when cut, never splitting a surrogate pair.</summary>
    public static string Shorten(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }
        if (maxLength <= Ellipsis.Length)
        {
            return Cut(text, Math.Max(0, maxLength));
        }
        return Cut(text, maxLength - Ellipsis.Length).TrimEnd() + Ellipsis;
    }

    private static string Cut(string text, int length) =>
        length > 0 && char.IsHighSurrogate(text[length - 1]) ? text[..(length - 1)] : text[..length];

    private static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F';
}
