using Escalation.Alerts;
using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Routing;
using Escalation.Storage.Configuration;

namespace Escalation.Api.Alerts;

/// <summary>What became of one alert: its dedup key (made up when the source gave none) and how it was decided.</summary>
public sealed record IntakeResult(string DedupKey, AlertDecision? Decision);

/// <summary>
/// The one way in for alerts of every source: an alert read by its source's parser is decided on here (event rules,
/// priority, routing: <see cref="AlertRouting"/>) and handed to its dedup key's grain on the service it is routed to.
/// A returned result means the alert is durable.
/// </summary>
public sealed class AlertIntake(IGrainFactory grains, ConfigurationStore store)
{
    /// <summary>Decides an alert as ingestion would, without acting on it: the rules test endpoint answers with this.</summary>
    public async Task<AlertDecision> Decide(Service service, InboundAlert alert)
    {
        var first = EventRuleEvaluator.FirstMatch(service.EventRules, alert);
        var final = service;
        RuleMatch? second = null;
        if (first?.Rule.Actions.RouteTo is { } routeTo && routeTo != service.Id && await store.FindService(routeTo) is { } target)
        {
            final = target;
            second = EventRuleEvaluator.FirstMatch(target.EventRules, alert);
        }
        return AlertRouting.Decide(service, first, final, second, alert);
    }

    public async Task<IntakeResult> Accept(Service service, InboundAlert alert)
    {
        if (alert.Action != AlertAction.Trigger) return await Answer(service, alert);

        var decision = await Decide(service, alert);
        var dedupKey = string.IsNullOrWhiteSpace(alert.DedupKey) ? Guid.NewGuid().ToString("N") : alert.DedupKey;
        var suppressedBy = decision.Suppressed ? AlertRouting.Describe(decision.Matched.Last(m => m.Rule.Actions.Suppress)) : null;
        var trigger = new IncidentTrigger(decision.ServiceId, dedupKey, alert.Summary, decision.Severity, alert.Source,
            alert.Component, alert.Group, alert.Class, alert.DetailsJson, [.. alert.LinksOrEmpty, .. decision.AddedLinks], alert.Client,
            decision.Priority, decision.Route, decision.PriorityReason, suppressedBy, alert.Labels);
        await Key(decision.ServiceId, dedupKey).Trigger(trigger);
        return new IntakeResult(dedupKey, decision);
    }

    /// <summary>
    /// An acknowledge or resolve reaches the incident its trigger opened: on the service the rules route the alert to,
    /// else (an Events v2 resolve carries only its dedup key, which rules on the summary cannot route) on the receiving
    /// service or any service its rules route to.
    /// </summary>
    private async Task<IntakeResult> Answer(Service service, InboundAlert alert)
    {
        var dedupKey = alert.DedupKey!;
        var decided = (await Decide(service, alert)).ServiceId;
        var candidates = new[] { decided, service.Id }
            .Concat((service.EventRules ?? []).Select(r => r.Actions.RouteTo).OfType<string>())
            .Distinct();
        foreach (var serviceId in candidates)
        {
            var key = Key(serviceId, dedupKey);
            var answered = alert.Action == AlertAction.Resolve ? await key.Resolve(alert.Client) : await key.Acknowledge(alert.Client);
            if (answered is not null) break;
        }
        return new IntakeResult(dedupKey, null);
    }

    private IAlertKeyGrain Key(string serviceId, string dedupKey) => grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(serviceId, dedupKey));
}
