using Escalation.Alerts;
using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Routing;

namespace Escalation.Tests.Routing;

public sealed class AlertRoutingTests
{
    private static readonly Service Api = new("api", "API", "default", "k", null);
    private static readonly InboundAlert NoSeverity = new(AlertAction.Trigger, "k", "Disk full on db-1", null, "node-exporter", "alertmanager",
        Labels: new Dictionary<string, string> { ["team"] = "billing" });

    private static AlertDecision Decide(Service service, InboundAlert alert, Service? target = null)
    {
        var first = EventRuleEvaluator.FirstMatch(service.EventRules, alert);
        var final = target ?? service;
        var second = target is null ? null : EventRuleEvaluator.FirstMatch(target.EventRules, alert);
        return AlertRouting.Decide(service, first, final, second, alert);
    }

    [Fact]
    public void An_alert_with_no_severity_that_no_rule_classifies_is_P1_and_pages_with_high_urgency()
    {
        var d = Decide(Api, NoSeverity);
        Assert.Equal(Priority.P1, d.Priority);
        Assert.Equal("no severity: when in doubt, P1", d.PriorityReason);
        Assert.Equal(Severity.Critical, d.Severity);
        Assert.Equal(RouteAction.Page, d.Route.Action);
        Assert.Equal(Urgency.High, d.Urgency);
        Assert.True(d.Route.Posts); // P1 posts its declaration
    }

    [Fact]
    public void A_service_may_say_otherwise_about_alerts_in_doubt()
    {
        var d = Decide(Api with { DefaultPriority = Priority.P3 }, NoSeverity);
        Assert.Equal(Priority.P3, d.Priority);
        Assert.Equal(Urgency.Low, d.Urgency);
    }

    [Theory]
    [InlineData(Severity.Critical, Priority.P1, RouteAction.Page, Urgency.High)]
    [InlineData(Severity.Error, Priority.P2, RouteAction.Page, Urgency.High)]
    [InlineData(Severity.Warning, Priority.P3, RouteAction.Page, Urgency.Low)]
    [InlineData(Severity.Info, Priority.P4, RouteAction.PostOnly, Urgency.Low)]
    public void The_sources_severity_gives_the_priority_and_the_default_routes(Severity severity, Priority priority, RouteAction action, Urgency urgency)
    {
        var d = Decide(Api, NoSeverity with { Severity = severity });
        Assert.Equal((priority, action, urgency), (d.Priority, d.Route.Action, d.Urgency));
        Assert.Equal(priority == Priority.P1 || action == RouteAction.PostOnly, d.Route.Posts);
    }

    [Fact]
    public void A_rule_sets_priority_over_the_severity_and_its_urgency_over_the_route()
    {
        var service = Api with
        {
            EventRules = [new("billing is P1", [new("labels.team", RuleOperator.Equals, "billing")], new RuleActions(Priority: Priority.P1, Urgency: Urgency.Low))],
        };
        var d = Decide(service, NoSeverity with { Severity = Severity.Info });
        Assert.Equal(Priority.P1, d.Priority);
        Assert.Equal("set by rule 'billing is P1' (#1)", d.PriorityReason);
        Assert.Equal(Urgency.Low, d.Urgency);
        Assert.Equal(Severity.Info, d.Severity);
    }

    [Fact]
    public void A_rule_severity_gives_the_priority_when_no_rule_sets_one()
    {
        var service = Api with { EventRules = [new(null, [], new RuleActions(Severity: Severity.Warning))] };
        var d = Decide(service, NoSeverity);
        Assert.Equal(Priority.P3, d.Priority);
        Assert.Equal(Severity.Warning, d.Severity);
    }

    [Fact]
    public void A_service_with_fixed_urgency_keeps_it_for_every_priority()
    {
        var d = Decide(Api with { Urgency = ServiceUrgency.Low }, NoSeverity);
        Assert.Equal(Priority.P1, d.Priority);
        Assert.Equal(Urgency.Low, d.Urgency);
    }

    [Fact]
    public void Routing_to_another_service_uses_its_routes_and_its_rules_win()
    {
        var payments = new Service("payments", "Payments", "p", "k2", null,
            Routing: new ServiceRouting(P2: new PriorityRoute(RouteAction.PostOnly, Urgency.Low)),
            EventRules: [new("payments rule", [], new RuleActions(Priority: Priority.P2, RunbookUrl: "https://runbooks.example.com/pay"))]);
        var api = Api with
        {
            EventRules = [new("to payments", [new("labels.team", RuleOperator.Equals, "billing")],
                new RuleActions(Priority: Priority.P1, RouteTo: "payments", RunbookUrl: "https://runbooks.example.com/api"))],
        };
        var d = Decide(api, NoSeverity, payments);
        Assert.Equal("payments", d.ServiceId);
        Assert.Equal(Priority.P2, d.Priority);
        Assert.Equal(RouteAction.PostOnly, d.Route.Action);
        Assert.Equal(["https://runbooks.example.com/pay", "https://runbooks.example.com/api"], d.AddedLinks.Select(l => l.Href));
        Assert.Equal([("api", 0), ("payments", 0)], d.Matched.Select(m => (m.ServiceId, m.Index)));
    }

    [Fact]
    public void Suppress_is_kept_whatever_the_priority()
    {
        var service = Api with { EventRules = [new("noise", [new("summary", RuleOperator.Contains, "disk")], new RuleActions(Suppress: true))] };
        var d = Decide(service, NoSeverity);
        Assert.True(d.Suppressed);
        Assert.Equal(Priority.P1, d.Priority);
    }
}
