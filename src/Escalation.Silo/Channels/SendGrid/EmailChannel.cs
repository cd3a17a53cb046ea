using System.Net;
using Escalation.Notifications;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Channels.SendGrid;

/// <summary>Email through SendGrid, with signed links to acknowledge or resolve, good for the page's cycle and at most a day.</summary>
public sealed class EmailChannel(
    EmailSender sender,
    IOptions<SendGridOptions> options,
    ActionLinkKeys keys,
    PublicUrls urls,
    TimeProvider clock) : INotificationChannel
{
    /// <summary>Long enough to answer a page sent overnight; a link is spent sooner once its incident moves on (<see cref="LinkValidity"/>).</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(24);

    public string Name => ChannelNames.Email;
    public bool Configured => options.Value.Configured;

    public async Task<DeliveryOutcome> SendPage(PageDelivery page, CancellationToken ct)
    {
        var i = page.Incident;
        if (page.Request.Kind == NotificationKind.Reminder)
        {
            var reminder = EmailReminder.Render(i.Id, i.Title, page.Request.EventText ?? "", urls.Incident(i.Id));
            return await sender.Send(reminder.AddressedTo(page.Address), ct);
        }
        var signer = await keys.Signer();
        var expires = clock.GetUtcNow() + LinkLifetime;
        // The page's own cycle: its links stop working once the incident is paged again.
        var cycle = i.Notifications.Find(n => n.Id == page.Request.NotificationId)?.Cycle ?? i.Cycle;
        Uri Link(LinkAction action) => new(urls.ActionLink(signer.Create(new ActionLink(i.Id, cycle, page.Request.UserId, action, expires))));
        var content = EmailPage.Render(
            new EmailIncident(i.Id, i.Title, IncidentText.Severity(i), page.Service?.Name ?? i.ServiceId, IncidentText.Status(i), IncidentText.Links(i), urls.Incident(i.Id)),
            Link(LinkAction.Acknowledge), Link(LinkAction.Resolve));
        return await sender.Send(new EmailMessage(page.Address, content.Subject, content.Text, content.Html), ct);
    }

    public Task<DeliveryOutcome> SendAnnouncement(AnnouncementDelivery announcement, CancellationToken ct)
    {
        var a = announcement.Request;
        var subject = $"{a.About}: {a.Kind.Replace('_', ' ')}";
        return sender.Send(new EmailMessage(announcement.Address, subject, a.Text, $"<p>{WebUtility.HtmlEncode(a.Text)}</p>"), ct);
    }
}
