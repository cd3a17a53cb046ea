using System.Net;

namespace Escalation.Silo.Channels.SendGrid;

/// <summary>A reminder by email (a status update owed): its text and the incident's link, nothing to click but that.</summary>
public static class EmailReminder
{
    public static EmailContent Render(string incidentId, string title, string text, string incidentUrl)
    {
        var subject = EmailPage.OneLine($"Reminder: {title} ({incidentId})");
        var body = $"{EmailPage.OneLine(text)}\n\nIncident: {EmailPage.OneLine(incidentUrl)}\n";
        var html = $"<p>{WebUtility.HtmlEncode(text)}</p><p><a href=\"{WebUtility.HtmlEncode(incidentUrl)}\">{WebUtility.HtmlEncode(incidentId)}</a></p>";
        return new EmailContent(subject, body, html);
    }
}
