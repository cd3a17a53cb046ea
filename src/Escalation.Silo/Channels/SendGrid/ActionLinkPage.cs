using System.Net;

namespace Escalation.Silo.Channels.SendGrid;

/// <summary>
/// The small HTML pages behind an email's action links. Mail scanners open links to look at them, so opening one
/// (GET) only shows <see cref="Confirm"/>; the action happens when the person presses its button (POST).
/// </summary>
public static class ActionLinkPage
{
    private const string ButtonStyle =
        "padding:12px 22px;border:0;border-radius:6px;background:#2563eb;color:#ffffff;font-size:16px;font-weight:bold;cursor:pointer;";

    public static string Confirm(string incidentTitle, LinkAction action, string postUrl)
    {
        var (verb, consequence) = action switch
        {
            LinkAction.Acknowledge => ("Acknowledge", "Acknowledging tells Escalation you are on it, so it stops paging further people."),
            LinkAction.Resolve => ("Resolve", "Resolving closes the incident; nobody else is paged for it."),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Not a link action."),
        };
        return Layout(
            $"{verb} incident",
            $"<h1 style=\"font-size:20px;\">{verb} incident?</h1>"
            + $"<p><strong>{Encode(incidentTitle)}</strong></p>"
            + $"<p>{consequence} Nothing has happened yet.</p>"
            + $"<form method=\"post\" action=\"{Encode(postUrl)}\"><button type=\"submit\" style=\"{ButtonStyle}\">{verb} incident</button></form>");
    }

    public static string Done(string message) =>
        Layout("Done", $"<h1 style=\"font-size:20px;\">Done</h1><p>{Encode(message)}</p>");

    public static string Problem(string message) =>
        Layout("This link did not work", $"<h1 style=\"font-size:20px;\">This link did not work</h1><p>{Encode(message)}</p>");

    // no-referrer: the page's own address carries the token, which should not travel on to anywhere linked from here.
    private static string Layout(string title, string body) =>
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<meta name=\"robots\" content=\"noindex\"><meta name=\"referrer\" content=\"no-referrer\">"
        + $"<title>{Encode(title)}</title></head>"
        + "<body style=\"margin:0;padding:24px;background:#f4f4f5;font-family:Arial,Helvetica,sans-serif;color:#18181b;\">"
        + $"<main style=\"max-width:480px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px;\">{body}</main>"
        + "</body></html>";

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
