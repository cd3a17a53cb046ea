using System.Collections.Concurrent;
using Escalation.Incidents;
using Escalation.Notifications;

namespace Escalation.Tests.Grains;

/// <summary>
/// Stands in for the bus, the delivery pipeline and every provider, on the cluster's fake clock: each page handed
/// over is attempted at the pipeline's own times (at once, then 5, 15, 35 and 75 s later) and goes through at the first
/// attempt the providers are up for, or fails after the fifth. The test moves the clock and calls <see cref="Settle"/>.
/// </summary>
public sealed class ScriptedProviders : INotificationDispatcher
{
    private static readonly TimeSpan[] AttemptsAfter = [TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(35), TimeSpan.FromSeconds(75)];

    private readonly ConcurrentDictionary<string, Handed> _handed = new();

    public sealed record Handed(PageRequest Page, DateTimeOffset At)
    {
        public DateTimeOffset? SettledAt { get; set; }
        public NotificationStatus? Outcome { get; set; }
    }

    /// <summary>When the providers are down: from, until (exclusive).</summary>
    public (DateTimeOffset From, DateTimeOffset Until) Outage { get; set; }

    /// <summary>The cluster's fake clock, which stamps the pages handed over.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Where the outcomes are reported.</summary>
    public IGrainFactory Grains { get; set; } = null!;

    public IReadOnlyCollection<Handed> Pages => _handed.Values.OrderBy(h => h.At).ToList();

    public void Dispatch(IReadOnlyList<INotificationMessage> messages)
    {
        // A re-driven copy is dropped, as the ledger's claim drops it.
        foreach (var page in messages.OfType<PageRequest>()) _handed.TryAdd(page.NotificationId, new Handed(page, Clock.GetUtcNow()));
    }

    /// <summary>Reports every page whose outcome is known by <paramref name="now"/>.</summary>
    public async Task Settle(DateTimeOffset now)
    {
        foreach (var handed in _handed.Values.Where(h => h.Outcome is null).OrderBy(h => h.At))
        {
            var attempts = AttemptsAfter.Select(a => handed.At + a).ToList();
            var delivered = attempts.FirstOrDefault(a => a < Outage.From || a >= Outage.Until);
            var (outcome, at) = delivered != default ? (NotificationStatus.Sent, delivered) : (NotificationStatus.Failed, attempts[^1]);
            if (at > now) continue;
            (handed.Outcome, handed.SettledAt) = (outcome, at);
            var attempt = attempts.IndexOf(at) + 1;
            await Grains.GetGrain<IIncidentGrain>(handed.Page.IncidentId).ReportDelivery(new DeliveryReport(
                handed.Page.NotificationId, outcome, attempt, at, outcome == NotificationStatus.Failed ? "gave up after 5 attempts: HTTP 503" : null));
        }
    }
}
