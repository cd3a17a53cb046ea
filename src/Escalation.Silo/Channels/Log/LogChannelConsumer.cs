using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Silo.Notifications;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Escalation.Silo.Channels.Log;

/// <summary>
/// The built-in <c>log</c> channel: a page is a structured log line. It travels the same road as real channels:
/// claimed in the ledger, delivered, and reported back to its incident.
/// </summary>
public sealed class LogChannelConsumer(DeliveryLedger ledger, IGrainFactory grains, TimeProvider clock, ILogger<LogChannelConsumer> logger)
    : IConsumer<PageRequest>
{
    public async Task Consume(ConsumeContext<PageRequest> context)
    {
        var page = context.Message;
        var delivery = await ledger.RecordSent(page, clock.GetUtcNow());
        if (delivery.FirstTime)
        {
            logger.LogInformation(
                "page.sent notification={NotificationId} incident={IncidentId} user={UserId} channel=log level={Level} loop={Loop} severity={Severity}: {Title}",
                page.NotificationId, page.IncidentId, page.UserId, page.Level, page.Loop, page.Severity, page.Title);
        }
        await grains.GetGrain<IIncidentGrain>(page.IncidentId).ReportDelivery(
            new DeliveryReport(page.NotificationId, delivery.Status, delivery.Attempts, delivery.SentAt ?? clock.GetUtcNow(), delivery.Error));
    }
}
