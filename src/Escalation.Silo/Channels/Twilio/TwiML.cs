using System.Text;
using System.Xml;

namespace Escalation.Silo.Channels.Twilio;

/// <summary>The replies this service gives Twilio's incoming-message webhook.</summary>
public static class TwiML
{
    public const string ContentType = "text/xml";

    private const string Declaration = """<?xml version="1.0" encoding="UTF-8"?>""";

    /// <summary>Reply to the sender with <paramref name="text"/>.</summary>
    public static string Message(string text) => $"{Declaration}<Response><Message>{Escape(text)}</Message></Response>";

    /// <summary>Acknowledge the webhook and send nothing back.</summary>
    public static string Empty() => $"{Declaration}<Response/>";

    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case var _ when XmlConvert.IsXmlChar(c):
                    escaped.Append(c);
                    break;
                case var _ when i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c):
                    escaped.Append(c).Append(text[++i]);
                    break;
                default:
                    // Characters XML 1.0 forbids (most control characters, lone surrogates) would make Twilio reject the whole document.
                    break;
            }
        }
        return escaped.ToString();
    }
}
