using System.Text;

namespace Escalation.Api.Postmortems;

/// <summary>Text that users and monitors sent, made safe to place inline in Markdown: one line, nothing read as markup.</summary>
public static class MarkdownText
{
    private const string Special = "\\`*_[]<>#|~!";

    public static string Inline(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var s = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\n' or '\r' or '\t') s.Append(' ');
            else if (char.IsControl(c)) continue;
            else if (Special.Contains(c)) s.Append('\\').Append(c);
            else s.Append(c);
        }
        return s.ToString().Trim();
    }
}
