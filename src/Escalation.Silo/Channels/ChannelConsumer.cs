using Escalation.Notifications;
using Escalation.Silo.Notifications;
using MassTransit;

namespace Escalation.Silo.Channels;

/// <summary>The bus consumer of one channel's queue. Every channel has its own queue, so that a slow provider holds up only its own pages.</summary>
public sealed class ChannelConsumer<TChannel>(TChannel channel, DeliveryPipeline pipeline)
    : IConsumer<PageRequest>, IConsumer<AnnouncementRequest>
    where TChannel : INotificationChannel
{
    public Task Consume(ConsumeContext<PageRequest> context) =>
        pipeline.DeliverPage(context.Message, channel, context.GetRetryAttempt() > 0, context.CancellationToken);

    public Task Consume(ConsumeContext<AnnouncementRequest> context) =>
        pipeline.DeliverAnnouncement(context.Message, channel, context.GetRetryAttempt() > 0, context.CancellationToken);
}
