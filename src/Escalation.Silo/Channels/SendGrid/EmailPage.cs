using System.Net;
using System.Text;

namespace Escalation.Silo.Channels.SendGrid;

/// <summary>Renders the page email for an incident: a plain-text part and a simple inline-styled HTML part.</summary>
public static class EmailPage
{
    private const string ButtonStyle =
        "display:inline-block;padding:12px 22px;margin:0 8px 8px 0;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold;font-size:16px;";

    public static EmailContent Render(EmailIncident incident, Uri acknowledgeUrl, Uri resolveUrl)
    {
        var subject = OneLine($"[{incident.Severity}] {incident.Title} ({incident.ServiceName})");
        return new EmailContent(subject, Text(incident, acknowledgeUrl, resolveUrl), Html(subject, incident, acknowledgeUrl, resolveUrl));
    }

    private static string Text(EmailIncident incident, Uri acknowledgeUrl, Uri resolveUrl)
    {
        var text = new StringBuilder();
        text.Append($"[{OneLine(incident.Severity)}] {OneLine(incident.Title)}\n");
        text.Append($"Service: {OneLine(incident.ServiceName)}\n");
        text.Append($"Status: {OneLine(incident.Status)}\n\n");
        text.Append($"Acknowledge: {acknowledgeUrl.AbsoluteUri}\n");
        text.Append($"Resolve: {resolveUrl.AbsoluteUri}\n\n");
        text.Append($"Incident: {OneLine(incident.IncidentUrl)}\n");
        if (incident.Links.Count > 0)
        {
            text.Append("\nLinks:\n");
            foreach (var (href, label) in incident.Links)
                text.Append($"- {OneLine(label)}: {OneLine(href)}\n");
        }
        return text.ToString();
    }

    private static string Html(string subject, EmailIncident incident, Uri acknowledgeUrl, Uri resolveUrl)
    {
        var html = new StringBuilder();
        html.Append($"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{Encode(subject)}</title></head>");
        html.Append("<body style=\"margin:0;padding:24px;background:#f4f4f5;font-family:Arial,Helvetica,sans-serif;color:#18181b;\">");
        html.Append("<div style=\"max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px;\">");
        html.Append($"<p style=\"margin:0 0 8px;font-size:12px;font-weight:bold;text-transform:uppercase;color:#b91c1c;\">{Encode(incident.Severity)}</p>");
        html.Append($"<h1 style=\"margin:0 0 16px;font-size:20px;\">{Encode(incident.Title)}</h1>");
        html.Append($"<p style=\"margin:0 0 4px;\">Service: <strong>{Encode(incident.ServiceName)}</strong></p>");
        html.Append($"<p style=\"margin:0 0 24px;\">Status: <strong>{Encode(incident.Status)}</strong></p>");
        html.Append("<p style=\"margin:0 0 16px;\">");
        html.Append($"<a href=\"{Encode(acknowledgeUrl.AbsoluteUri)}\" style=\"{ButtonStyle}background:#2563eb;\">Acknowledge</a>");
        html.Append($"<a href=\"{Encode(resolveUrl.AbsoluteUri)}\" style=\"{ButtonStyle}background:#16a34a;\">Resolve</a>");
        html.Append("</p>");
        html.Append($"<p style=\"margin:0 0 16px;\">{Link(incident.IncidentUrl, "Open the incident")}</p>");
        if (incident.Links.Count > 0)
        {
            html.Append("<ul style=\"margin:0 0 16px;padding-left:20px;\">");
            foreach (var (href, label) in incident.Links)
                html.Append($"<li>{Link(href, label)}</li>");
            html.Append("</ul>");
        }
        html.Append("<p style=\"margin:0;font-size:12px;color:#71717a;\">The buttons open a page where you confirm the action. They stop working once the incident is answered or paged again, or after a day.</p>");
        html.Append("</div></body></html>");
        return html.ToString();
    }

    /// <summary>Only web addresses become anchors: a <c>javascript:</c> href from an alert source stays inert text.</summary>
    private static string Link(string href, string label) =>
        Uri.TryCreate(href, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? $"<a href=\"{Encode(uri.AbsoluteUri)}\" style=\"color:#2563eb;\">{Encode(label)}</a>"
            : $"{Encode(label)} ({Encode(href)})";

    private static string Encode(string value) => WebUtility.HtmlEncode(value);

    /// <summary>Line breaks in a subject would let a value add mail headers; in the text part they would let it fake lines.</summary>
    internal static string OneLine(string value)
    {
        var line = new StringBuilder(value.Length);
        foreach (var c in value)
            line.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c);
        return line.ToString().Trim();
    }
}
