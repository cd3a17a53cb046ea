using Escalation.Alerts;
using Escalation.Configuration;
using Escalation.Incidents;

namespace Escalation.Api.Alerts;

/// <summary>What became of one alert: its dedup key (made up when the source gave none).</summary>
public sealed record IntakeResult(string DedupKey);

/// <summary>
/// The one way in for alerts of every source: an alert read by its source's parser is decided on here (event rules,
/// priority, routing) and handed to its dedup key's grain. A returned result means the alert is durable.
/// </summary>
public sealed class AlertIntake(IGrainFactory grains)
{
    public async Task<IntakeResult> Accept(Service service, InboundAlert alert)
    {
        switch (alert.Action)
        {
            case AlertAction.Trigger:
                var dedupKey = string.IsNullOrWhiteSpace(alert.DedupKey) ? Guid.NewGuid().ToString("N") : alert.DedupKey;
                var trigger = new IncidentTrigger(service.Id, dedupKey, alert.Summary, alert.Severity ?? Severity.Critical, alert.Source,
                    alert.Component, alert.Group, alert.Class, alert.DetailsJson, alert.LinksOrEmpty, alert.Client);
                await grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(service.Id, dedupKey)).Trigger(trigger);
                return new IntakeResult(dedupKey);
            case AlertAction.Acknowledge:
                await grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(service.Id, alert.DedupKey!)).Acknowledge(alert.Client);
                return new IntakeResult(alert.DedupKey!);
            default:
                await grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(service.Id, alert.DedupKey!)).Resolve(alert.Client);
                return new IntakeResult(alert.DedupKey!);
        }
    }
}
