using System.Text;

namespace Escalation.Silo.Channels.Slack;

/// <summary>Text for Slack's mrkdwn, where &amp;, &lt; and &gt; are control characters.</summary>
public static class SlackMrkdwn
{
    /// <summary>Makes user-provided text show as itself rather than as links, mentions or broken markup.</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>
    /// A <c>&lt;href|text&gt;</c> link. The label is escaped; in the href, only the characters that would end the
    /// link early are percent-encoded, which leaves the address it points to unchanged.
    /// </summary>
    public static string Link(string href, string text) => $"<{SafeHref(href)}|{Escape(text)}>";

    public static string SafeHref(string href) =>
        href.Replace("<", "%3C", StringComparison.Ordinal)
            .Replace(">", "%3E", StringComparison.Ordinal)
            .Replace("|", "%7C", StringComparison.Ordinal);

    /// <summary>Cuts text to at most <paramref name="max"/> characters, ending with an ellipsis when it had to.</summary>
    public static string Fit(string text, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 2);
        if (text.Length <= max)
            return text;
        var cut = max - 1;
        // Don't leave half an escape (&amp;) or half a surrogate pair behind.
        var ampersand = text.LastIndexOf('&', cut - 1, Math.Min(cut, 5));
        if (ampersand >= 0 && text.IndexOf(';', ampersand, cut - ampersand) < 0)
            cut = ampersand;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
            cut--;
        return new StringBuilder(text, 0, cut, max).Append('…').ToString();
    }
}
