using System.Text;

namespace Escalation.Silo.Channels.Discord;

/// <summary>Text for Discord's markdown, in which a backslash before any punctuation shows it as itself.</summary>
public static class DiscordMarkdown
{
    private const string Inline = "\\*_~`|[]()<@";

    /// <summary>Headings, quotes and lists: markup only at the start of a line.</summary>
    private const string LineStart = "#>-+";

    /// <summary>Makes user-provided text show as itself rather than as formatting, links or mentions.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (Inline.Contains(c) || (LineStart.Contains(c) && (i == 0 || text[i - 1] == '\n'))) escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }

    /// <summary>A <c>[text](href)</c> link; in the href, only what would end it early is percent-encoded.</summary>
    public static string Link(string href, string text) => $"[{Escape(text)}]({SafeHref(href)})";

    public static string SafeHref(string href) =>
        href.Replace("(", "%28", StringComparison.Ordinal)
            .Replace(")", "%29", StringComparison.Ordinal)
            .Replace(" ", "%20", StringComparison.Ordinal)
            .Replace("<", "%3C", StringComparison.Ordinal)
            .Replace(">", "%3E", StringComparison.Ordinal);

    /// <summary>Raw text escaped, cut first so that the escaped text is at most <paramref name="max"/> characters.</summary>
    public static string EscapeToFit(string raw, int max)
    {
        var fitted = Escape(Fit(raw, max));
        for (var keep = max; fitted.Length > max; fitted = Escape(Fit(raw, keep)))
            keep -= Math.Max(1, (fitted.Length - max) / 2);
        return fitted;
    }

    /// <summary>Cuts raw text to at most <paramref name="max"/> characters, ending with an ellipsis when it had to.</summary>
    public static string Fit(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = max - 1;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1])) cut--;
        return text[..cut] + "…";
    }
}
