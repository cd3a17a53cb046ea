using System.Diagnostics.Metrics;
using Escalation.Silo.Deadlines;
using Escalation.Silo.Hosting;
using Escalation.Silo.Notifications;
using Escalation.Storage.Metrics;
using Escalation.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Telemetry;

/// <summary>
/// The gauges: what the cluster holds (read from the database every <see cref="MetricsOptions.ReadEvery"/>, so a scrape
/// never waits on it), and what this silo holds in memory. While the database does not answer, the last reading stays
/// and <c>escalation_database_up</c> is 0.
/// </summary>
public sealed class OperationalGauges : BackgroundService
{
    private readonly OperationalReadings _readings;
    private readonly TimeProvider _clock;
    private readonly IOptions<MetricsOptions> _options;
    private readonly ILogger<OperationalGauges> _logger;
    private volatile OperationalReading? _last;
    private volatile bool _databaseUp;

    public OperationalGauges(OperationalReadings readings, EscalationMetrics metrics, BusNotificationDispatcher dispatcher, DeadlineActivity deadlines,
        IClusterMembershipService membership, ILocalSiloDetails silo, Drain drain, TimeProvider clock, IOptions<MetricsOptions> options, ILogger<OperationalGauges> logger)
    {
        (_readings, _clock, _options, _logger) = (readings, clock, options, logger);
        var meter = metrics.Meter;
        meter.CreateObservableGauge("escalation.incidents.open", () => _last is { } r
            ? [new(r.Triggered, new KeyValuePair<string, object?>("status", "triggered")), new Measurement<long>(r.Acknowledged, new KeyValuePair<string, object?>("status", "acknowledged"))]
            : Array.Empty<Measurement<long>>(), "{incident}", "Incidents not resolved, by status (the whole cluster's).");
        meter.CreateObservableGauge("escalation.notifications.in_flight", () => _last is { } r
            ? r.InFlightByChannel.Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>("channel", c.Key)))
            : [], "{notification}", "Notifications a channel has claimed and not settled, by channel (the whole cluster's).");
        meter.CreateObservableGauge("escalation.notifications.oldest_in_flight", () => Age(_last?.OldestInFlightClaimedAt), "s",
            "How long the oldest notification claimed and not settled has been in flight; 0 when none is.");
        meter.CreateObservableGauge("escalation.sms.queued", () => _last?.SmsQueued ?? 0, "{message}", "SMS waiting for their number's next slot.");
        meter.CreateObservableGauge("escalation.sms.oldest_queued", () => Age(_last?.OldestSmsQueuedAt), "s", "How long the oldest waiting SMS has waited; 0 when none is.");
        meter.CreateObservableGauge("escalation.database.up", () => _databaseUp ? 1 : 0, null, "1 when this silo's last reading of the database succeeded.");
        meter.CreateObservableGauge("escalation.dispatch.queued", () => dispatcher.Queued, "{message}", "Notifications this silo has taken from grains and not yet handed to the bus.");
        meter.CreateObservableGauge("escalation.silo.ready",
            () => !drain.Draining && membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress) == SiloStatus.Active ? 1 : 0, null,
            "1 while this silo is active in the cluster and not draining (what /health/ready answers 200 for)."); 
        meter.CreateObservableGauge("escalation.deadlines.held", () => deadlines.Held, "{deadline}", "Deadlines this silo's deadline service holds in memory.");
    }

    private double Age(DateTimeOffset? since) => since is { } at ? Math.Max(0, (_clock.GetUtcNow() - at).TotalSeconds) : 0;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                _last = await _readings.Read(stoppingToken);
                _databaseUp = true;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (_databaseUp) _logger.LogWarning("The metrics could not read the database: {Error}", e.GetBaseException().Message);
                _databaseUp = false;
            }
            try
            {
                await Task.Delay(_options.Value.ReadEvery, _clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
