using Escalation.Alerts;
using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Notifications;

namespace Escalation.Routing;

/// <summary>
/// Decides an alert: the receiving service's rules first; a rule that routes to another service hands the alert to
/// that service's rules (once: a rule there routes no further), whose actions then take precedence. The priority is
/// a rule's, else the severity's (a rule's or the source's), else the service's default: P1 when in doubt.
/// </summary>
public static class AlertRouting
{
    public static AlertDecision Decide(Service receiving, RuleMatch? first, Service final, RuleMatch? second, InboundAlert alert)
    {
        var matched = new[] { first is null ? null : first with { ServiceId = receiving.Id }, second is null ? null : second with { ServiceId = final.Id } }
            .OfType<RuleMatch>().ToList();
        var actions = matched.Select(m => m.Rule.Actions).Reverse().ToList(); // the final service's first
        var severity = actions.Select(a => a.Severity).FirstOrDefault(s => s is not null) ?? alert.Severity;
        var rulePriority = actions.Select(a => a.Priority).FirstOrDefault(p => p is not null);

        var (priority, reason) = rulePriority is { } p ? (p, $"set by rule {Describe(matched.Last(m => m.Rule.Actions.Priority is not null))}")
            : severity is { } s ? (PriorityRules.FromSeverity(s), $"from severity {s.ToString().ToLowerInvariant()}")
            : final.DefaultPriority is { } d ? (d, "no severity: the service's default priority")
            : (Priority.P1, "no severity: when in doubt, P1");

        var route = RouteOf(final, priority, actions.Select(a => a.Urgency).FirstOrDefault(u => u is not null));
        var links = actions.Select(a => a.RunbookUrl).OfType<string>().Distinct()
            .Select(href => new IncidentLink(href, "Runbook")).ToList();
        return new AlertDecision(final.Id, priority, reason, severity ?? PriorityRules.SeverityFor(priority), route.Urgency,
            route, links, actions.Any(a => a.Suppress), matched);
    }

    /// <summary>The route of a priority on a service, with its urgency: a rule's, else the service's fixed one, else the route's.</summary>
    public static PriorityRoute RouteOf(Service service, Priority priority, Urgency? ruleUrgency = null)
    {
        var route = (service.Routing ?? new ServiceRouting()).For(priority);
        var urgency = ruleUrgency ?? service.Urgency switch
        {
            ServiceUrgency.High => Urgency.High,
            ServiceUrgency.Low => Urgency.Low,
            _ => route.Urgency,
        };
        return route with { Urgency = urgency };
    }

    public static string Describe(RuleMatch match) => match.Rule.Name is { Length: > 0 } name ? $"'{name}' (#{match.Index + 1})" : $"#{match.Index + 1}";
}
