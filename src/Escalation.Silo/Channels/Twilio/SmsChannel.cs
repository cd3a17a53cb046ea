using Escalation.Notifications;
using Escalation.Storage.Sms;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Channels.Twilio;

/// <summary>
/// SMS through Twilio. Each page carries its reply codes; at most one page SMS a minute goes to a number, later pages
/// waiting for the next one together. Twilio reports delivery to our status webhook.
/// </summary>
public sealed class SmsChannel(
    TwilioClient twilio,
    IOptions<TwilioOptions> options,
    SmsReplyCodes codes,
    SmsOptOuts optOuts,
    SmsBundles bundles,
    PublicUrls urls,
    TimeProvider clock) : INotificationChannel
{
    public string Name => ChannelNames.Sms;
    public bool Configured => options.Value.Configured;

    public async Task<DeliveryOutcome> SendPage(PageDelivery page, CancellationToken ct)
    {
        if (page.Request.Kind == NotificationKind.Reminder)
            return new DeliveryOutcome.Permanent("sms: reminders go by Slack or email, nobody is texted for them");
        if (await optOuts.IsOptedOut(page.Address))
            return new DeliveryOutcome.Permanent("the number replied STOP: no SMS until it replies START");
        var incident = page.Incident;
        var code = await codes.Allocate(page.Address, incident.Id, clock.GetUtcNow(), options.Value.ReplyCodeReuseAfter);
        await bundles.Queue(page.Request.NotificationId, page.Address,
            new SmsPage(code, incident.Id, incident.Title, IncidentText.Severity(incident), page.Service?.Name ?? incident.ServiceId,
                incident.Links.FirstOrDefault()?.Href));
        return await bundles.SendWhenDue(page.Request.NotificationId, page.Address,
            pages => twilio.SendSms(page.Address, SmsPageText.Render(pages), urls.TwilioStatusFor(page.Request.NotificationId), ct));
    }

    public async Task<DeliveryOutcome> SendAnnouncement(AnnouncementDelivery announcement, CancellationToken ct) =>
        await optOuts.IsOptedOut(announcement.Address)
            ? new DeliveryOutcome.Permanent("the number replied STOP")
            : await twilio.SendSms(announcement.Address, announcement.Request.Text, urls.TwilioStatusFor(announcement.Request.NotificationId), ct);
}
