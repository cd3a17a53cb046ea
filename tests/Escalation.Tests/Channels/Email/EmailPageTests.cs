using System.Net;
using Escalation.Silo.Channels.SendGrid;

namespace Escalation.Tests.Channels.Email;

public class EmailPageTests
{
    private static readonly Uri AcknowledgeUrl = new("https://escalation.example.com/links/eyJhIjoiYWNrIn0.c2ln?x=1&y=2");
    private static readonly Uri ResolveUrl = new("https://escalation.example.com/links/eyJhIjoicmVzIn0.c2ln");

    private static EmailIncident Incident(
        string title = "Disk full",
        IReadOnlyList<(string Href, string Text)>? links = null) =>
        new("inc-1", title, "critical", "db", "triggered",
            links ?? [("https://runbooks.example.com/disk?host=a&b=c", "Runbook")],
            "https://escalation.example.com/incidents/inc-1");

    [Fact]
    public void The_subject_names_severity_title_and_service()
    {
        Assert.Equal("[critical] Disk full (db)", EmailPage.Render(Incident(), AcknowledgeUrl, ResolveUrl).Subject);
    }

    [Fact]
    public void A_title_with_line_breaks_cannot_add_headers_to_the_subject()
    {
        var content = EmailPage.Render(Incident("Disk full\r\nBcc: everyone@example.com\n"), AcknowledgeUrl, ResolveUrl);

        Assert.DoesNotContain('\r', content.Subject);
        Assert.DoesNotContain('\n', content.Subject);
        Assert.StartsWith("[critical] Disk full", content.Subject);
        Assert.DoesNotContain("\nBcc:", content.Text);
    }

    [Fact]
    public void Every_value_in_the_html_is_encoded()
    {
        var incident = Incident("<script>alert(1)</script>", [("https://example.com/?a=1&b=\"2\"", "<b>graph</b>")]) with
        {
            ServiceName = "api & \"web\"",
            Status = "<i>triggered</i>",
            Severity = "<critical>",
        };

        var html = EmailPage.Render(incident, AcknowledgeUrl, ResolveUrl).Html;

        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("api &amp; &quot;web&quot;", html);
        Assert.Contains("&lt;i&gt;triggered&lt;/i&gt;", html);
        Assert.Contains("&lt;critical&gt;", html);
        Assert.Contains("&lt;b&gt;graph&lt;/b&gt;", html);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("?x=1&amp;y=2", html);
    }

    [Fact]
    public void Both_action_links_and_the_incident_links_are_in_both_parts()
    {
        var content = EmailPage.Render(Incident(), AcknowledgeUrl, ResolveUrl);

        Assert.Contains(AcknowledgeUrl.AbsoluteUri, content.Text);
        Assert.Contains(ResolveUrl.AbsoluteUri, content.Text);
        Assert.Contains("https://runbooks.example.com/disk?host=a&b=c", content.Text);
        Assert.Contains("https://escalation.example.com/incidents/inc-1", content.Text);

        Assert.Contains($"href=\"{WebUtility.HtmlEncode(AcknowledgeUrl.AbsoluteUri)}\"", content.Html);
        Assert.Contains($"href=\"{WebUtility.HtmlEncode(ResolveUrl.AbsoluteUri)}\"", content.Html);
        Assert.Contains("href=\"https://runbooks.example.com/disk?host=a&amp;b=c\"", content.Html);
        Assert.Contains("href=\"https://escalation.example.com/incidents/inc-1\"", content.Html);
        Assert.Contains(">Acknowledge</a>", content.Html);
        Assert.Contains(">Resolve</a>", content.Html);
    }

    [Fact]
    public void A_link_that_is_not_a_web_address_is_not_made_clickable()
    {
        var html = EmailPage.Render(Incident(links: [("javascript:alert(1)", "click me")]), AcknowledgeUrl, ResolveUrl).Html;

        Assert.DoesNotContain("href=\"javascript:", html);
        Assert.Contains("click me (javascript:alert(1))", html);
    }

    [Fact]
    public void Content_becomes_a_message_once_it_has_a_recipient()
    {
        var content = EmailPage.Render(Incident(), AcknowledgeUrl, ResolveUrl);

        Assert.Equal(new EmailMessage("oncall@example.com", content.Subject, content.Text, content.Html), content.AddressedTo("oncall@example.com"));
    }
}
