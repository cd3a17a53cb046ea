using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Rotations;
using Escalation.Silo.Notifications;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Escalation.Silo.Channels.Log;

/// <summary>
/// The built-in <c>log</c> channel: a page or an announcement is a structured log line. It travels the same road as
/// real channels: claimed in the ledger, delivered, and reported back to the grain whose outbox it came from.
/// </summary>
public sealed class LogChannelConsumer(DeliveryLedger ledger, IGrainFactory grains, TimeProvider clock, ILogger<LogChannelConsumer> logger)
    : IConsumer<PageRequest>, IConsumer<AnnouncementRequest>
{
    public async Task Consume(ConsumeContext<PageRequest> context)
    {
        var page = context.Message;
        var delivery = await ledger.RecordSent(DeliveryClaim.For(page), clock.GetUtcNow());
        if (delivery.FirstTime)
        {
            logger.LogInformation(
                "page.sent notification={NotificationId} incident={IncidentId} user={UserId} channel=log level={Level} loop={Loop} severity={Severity}: {Title}",
                page.NotificationId, page.IncidentId, page.UserId, page.Level, page.Loop, page.Severity, page.Title);
        }
        await grains.GetGrain<IIncidentGrain>(page.IncidentId).ReportDelivery(Report(page.NotificationId, delivery));
    }

    public async Task Consume(ConsumeContext<AnnouncementRequest> context)
    {
        var announcement = context.Message;
        var claim = DeliveryClaim.For(announcement);
        var delivery = await ledger.RecordSent(claim, clock.GetUtcNow());
        if (delivery.FirstTime)
        {
            logger.LogInformation(
                "announcement.sent notification={NotificationId} rotation={RotationId} kind={Kind} to={Recipient} channel=log: {Text}",
                announcement.NotificationId, announcement.RotationId, announcement.Kind, claim.Recipient, announcement.Text);
        }
        await grains.GetGrain<IRotationGrain>(announcement.RotationId).ReportDelivery(Report(announcement.NotificationId, delivery));
    }

    private DeliveryReport Report(string notificationId, Delivery delivery) =>
        new(notificationId, delivery.Status, delivery.Attempts, delivery.SentAt ?? clock.GetUtcNow(), delivery.Error);
}
