using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Escalation.Logging;

/// <summary>
/// Text that a user or a monitor sent, made fit for a log line. A summary holding a line break would otherwise
/// start a line of its own, one that can pass for a line we wrote (<c>page.sent notification=...</c>). Line
/// breaks, tabs and every other control character (C0, DEL, C1) and the Unicode line and paragraph separators
/// become escapes (<c>\n</c>, <c>\u2028</c>); a backslash is doubled, so an escape in the log always means one.
/// Every log call that carries such text passes it through <see cref="Escape"/>.
/// </summary>
public static class LogText
{
    private static readonly SearchValues<char> NeedEscaping = SearchValues.Create(
        Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c)
            .Concat(['\\', '\u2028', '\u2029']).ToArray());

    [return: NotNullIfNotNull(nameof(text))]
    public static string? Escape(string? text)
    {
        if (text is null || text.AsSpan().IndexOfAny(NeedEscaping) < 0) return text;
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': escaped.Append(@"\\"); break;
                case '\n': escaped.Append(@"\n"); break;
                case '\r': escaped.Append(@"\r"); break;
                case '\t': escaped.Append(@"\t"); break;
                case var other when NeedEscaping.Contains(other): escaped.Append($"\\u{(int)other:x4}"); break;
                default: escaped.Append(c); break;
            }
        }
        return escaped.ToString();
    }
}
