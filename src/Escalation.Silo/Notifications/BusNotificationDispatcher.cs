using System.Threading.Channels;
using Escalation.Notifications;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Escalation.Silo.Notifications;

/// <summary>
/// Takes pages from grain turns without blocking them and publishes them on the bus. A page lost here
/// (a crash, a publish failure) is still pending in its incident's outbox, which hands it over again.
/// </summary>
public sealed class BusNotificationDispatcher(IBus bus, ILogger<BusNotificationDispatcher> logger) : BackgroundService, INotificationDispatcher
{
    private const int Publishers = 4;
    private readonly Channel<PageRequest> _queue = Channel.CreateUnbounded<PageRequest>(new UnboundedChannelOptions { SingleWriter = false });

    public void Dispatch(IReadOnlyList<PageRequest> pages)
    {
        foreach (var page in pages) _queue.Writer.TryWrite(page);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Publishers).Select(_ => Publish(stoppingToken)));

    private async Task Publish(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var page in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await bus.Publish(page, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not publish page {NotificationId}; its incident will hand it over again", page.NotificationId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
