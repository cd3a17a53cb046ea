using System.Diagnostics;
using System.Threading.Channels;
using Escalation.Notifications;
using Escalation.Telemetry;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Escalation.Silo.Notifications;

/// <summary>
/// Takes pages and announcements from grain turns without blocking them and sends each to its channel's queue on the
/// bus. A message lost here (a crash, a send failure) is still pending in its grain's outbox, which hands it over again.
/// Each message carries the trace of the grain turn that wrote it, so that a trace goes on through the bus.
/// </summary>
public sealed class BusNotificationDispatcher(IBus bus, ILogger<BusNotificationDispatcher> logger) : BackgroundService, INotificationDispatcher
{
    private const int Publishers = 4;
    private readonly Channel<(INotificationMessage Message, ActivityContext Trace)> _queue = Channel.CreateUnbounded<(INotificationMessage, ActivityContext)>(new UnboundedChannelOptions { SingleWriter = false });

    /// <summary>Messages taken from grains and not yet handed to the bus.</summary>
    public int Queued => _queue.Reader.Count;

    public void Dispatch(IReadOnlyList<INotificationMessage> messages)
    {
        var trace = Activity.Current?.Context ?? default;
        foreach (var message in messages) _queue.Writer.TryWrite((message, trace));
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Publishers).Select(_ => Publish(stoppingToken)));

    private async Task Publish(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (message, trace) in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                using var activity = EscalationTraces.Source.StartActivity("escalation.dispatch", ActivityKind.Producer, trace);
                activity?.SetTag("escalation.channel", message.Channel);
                try
                {
                    var endpoint = await bus.GetSendEndpoint(ChannelQueues.Address(message.Channel));
                    await endpoint.Send(message, message.GetType(), stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not send {NotificationId}; its outbox will hand it over again", message.NotificationId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
