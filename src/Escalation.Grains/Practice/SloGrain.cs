using Escalation.Alerts;
using Escalation.Configuration;
using Escalation.Deadlines;
using Escalation.Incidents;
using Escalation.Json;
using Escalation.Routing;
using Microsoft.Extensions.Logging;

namespace Escalation.Practice;

/// <summary>
/// Watches one service's acknowledgement SLO. Every <see cref="Every"/> (a deadline in its row) it reads the
/// service's incidents of the SLO's window and works out the burn rates; while a rule fires it keeps one P2 incident
/// open on the service's own policy, and resolves it once none does. The incident is opened and resolved through its
/// dedup key, so a call repeated after a crash adds to the same incident rather than opening another.
/// </summary>
public sealed class SloGrain(
    [PersistentState("slo", GrainStates.Store)] IPersistentState<SloState> store,
    IEscalationDirectory directory,
    IServiceIncidents incidents,
    TimeProvider clock,
    ILogger<SloGrain> logger) : Grain, ISloGrain, IDeadlineOwner
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(1);
    public const string DedupKey = "acknowledgement-slo-burn";

    private string ServiceId => SloKeys.IdOf(this.GetPrimaryKeyString());

    public Task Watch(bool declared) => this.Guarded(() => Check(declared));

    public Task<string?> AlertIncident() => Task.FromResult(store.State.AlertIncidentId);

    public Task<NextDeadline> DeadlineDue() => this.Guarded(async () =>
    {
        await Check(declared: false);
        return await store.Answer(store.State.NextDeadline);
    });

    private async Task Check(bool declared)
    {
        var now = clock.GetUtcNow();
        var service = await directory.FindService(ServiceId);
        var alert = GrainFactory.GetGrain<IAlertKeyGrain>(AlertKeys.For(ServiceId, DedupKey));
        if (service?.AcknowledgementSlo is not { } slo)
        {
            // No SLO any more: an alert it raised is resolved, and once a second look a minute later agrees (the
            // first may have read another silo's cache from before the change), nothing is left to watch.
            if (store.State.AlertIncidentId is not null) await alert.Resolve("slo");
            store.State.AlertIncidentId = null;
            if (store.State.FoundNone || (!store.RecordExists && !declared))
            {
                if (store.RecordExists) await store.ClearStateAsync();
                return;
            }
            store.State.FoundNone = true;
            await store.WriteWith(now + Every);
            return;
        }
        store.State.FoundNone = false;

        var status = await SloReading.Read(incidents, ServiceId, slo, now);
        if (status.Firing is { } rule && store.State.AlertIncidentId is null)
        {
            store.State.AlertIncidentId = await alert.Trigger(Trigger(service, status, rule));
            logger.LogWarning("slo.burning service={ServiceId} rule={Threshold}x incident={IncidentId}", ServiceId, rule.Threshold, store.State.AlertIncidentId);
        }
        else if (status.Firing is null && store.State.AlertIncidentId is not null)
        {
            await alert.Resolve("slo");
            logger.LogInformation("slo.recovered service={ServiceId} incident={IncidentId}", ServiceId, store.State.AlertIncidentId);
            store.State.AlertIncidentId = null;
        }
        await store.WriteWith(now + Every);
    }

    private IncidentTrigger Trigger(Service service, SloStatus status, BurnRule rule)
    {
        var slo = status.Slo;
        var burn = status.Windows.Single(w => w.Window == rule.Long).BurnRate;
        var title = $"{service.Name}: acknowledgement SLO burning {burn:0.#}x over {IsoDuration.Format(rule.Long)} " +
            $"({slo.Objective:0.###%} of {slo.Priority} within {IsoDuration.Format(slo.Within)}, {status.BudgetLeft:0%} of the budget left)";
        var details = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["rule"] = $"{rule.Threshold}x over {IsoDuration.Format(rule.Long)} and {IsoDuration.Format(rule.Short)}",
            ["budget_left"] = Math.Round(status.BudgetLeft, 4),
            ["events"] = status.Events,
            ["windows"] = status.Windows.Select(w => new { window = IsoDuration.Format(w.Window), events = w.Events, bad = w.Bad, burn_rate = w.BurnRate }),
        });
        return new IncidentTrigger(ServiceId, DedupKey, title, Severity.Error, SliEvent.SloSource, null, null, "slo", details, [], "slo",
            Priority.P2, PriorityReason: "an SLO burn-rate alert is P2");
    }
}
