using Escalation.Incidents;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Storage.Incidents;

/// <summary>
/// Heals the incidents read model: an upsert that failed after its state write (a database blip) is redone by the
/// incident grain, found by comparing the stored state's version with the row's. Each sweep looks at the states
/// written since the last sweep that finished, with a margin; the first one after start looks at all of them.
/// </summary>
public sealed class IncidentIndexRepair(
    IIncidentIndex index,
    IGrainFactory grains,
    TimeProvider clock,
    IOptions<IncidentOptions> options,
    ILogger<IncidentIndexRepair> logger) : BackgroundService
{
    private const int Batch = 500;
    private const int MaxBatches = 20;
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var since = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(options.Value.IndexRepairEvery, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var started = clock.GetUtcNow();
            try
            {
                await Sweep(since);
                since = started - Margin;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not repair the incidents read model; trying again in {Period}", options.Value.IndexRepairEvery);
            }
        }
    }

    private async Task Sweep(DateTimeOffset since)
    {
        // A bounded number of batches: a row that cannot be repaired now must not hold the sweep in a loop.
        for (var batch = 0; batch < MaxBatches; batch++)
        {
            var behind = await index.Behind(since, Batch);
            foreach (var id in behind) await grains.GetGrain<IIncidentGrain>(id).RefreshIndex();
            if (behind.Count > 0) logger.LogInformation("Repaired the read-model rows of {Count} incident(s)", behind.Count);
            if (behind.Count < Batch) return;
        }
    }
}
