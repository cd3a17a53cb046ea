using Escalation.Alerts;
using Escalation.Incidents;
using Escalation.Routing;

namespace Escalation.Tests.Routing;

public sealed class EventRuleEvaluatorTests
{
    private static readonly InboundAlert Alert = new(AlertAction.Trigger, "k", "Payment API: 5xx above 5% [checkout]", Severity.Error, "prometheus", "alertmanager",
        DetailsJson: """{"region":"ap-northeast-1","db":{"cluster":"billing-primary"},"count":12}""",
        Labels: new Dictionary<string, string> { ["team"] = "billing", ["env"] = "prod" },
        Links: [new IncidentLink("https://runbooks.example.com/payments", "Runbook")]);

    public static TheoryData<string, RuleOperator, string?, bool> Conditions => new()
    {
        { "summary", RuleOperator.Contains, "5XX ABOVE", true },      // contains ignores case
        { "summary", RuleOperator.Contains, "latency", false },
        { "summary", RuleOperator.Equals, "payment api: 5xx above 5% [checkout]", true },
        { "summary", RuleOperator.Equals, "Payment API", false },   // equals is the whole value
        { "summary", RuleOperator.Regex, @"\[checkout\]$", true },
        { "summary", RuleOperator.Regex, "^checkout", false },
        { "source", RuleOperator.Equals, "prometheus", true },
        { "severity", RuleOperator.Equals, "error", true },
        { "client", RuleOperator.Equals, "alertmanager", true },
        { "labels.team", RuleOperator.Equals, "billing", true },
        { "labels.team", RuleOperator.Exists, null, true },
        { "labels.owner", RuleOperator.Exists, null, false },
        { "custom_details.region", RuleOperator.Contains, "northeast", true },
        { "custom_details.db.cluster", RuleOperator.Regex, "^billing-", true },
        { "custom_details.count", RuleOperator.Equals, "12", true }, // a number is matched as its JSON text
        { "custom_details.db.missing", RuleOperator.Exists, null, false },
        { "component", RuleOperator.Exists, null, false },
        { "links", RuleOperator.Contains, "runbooks.example.com", true },
    };

    [Theory, MemberData(nameof(Conditions))]
    public void Each_operator_on_each_field(string field, RuleOperator op, string? value, bool matches)
    {
        var rule = new EventRule("r", [new RuleCondition(field, op, value)], new RuleActions(Priority: Priority.P2));
        Assert.Equal(matches, EventRuleEvaluator.FirstMatch([rule], Alert) is not null);
        var negated = rule with { Conditions = [new RuleCondition(field, op, value, Negate: true)] };
        Assert.Equal(!matches, EventRuleEvaluator.FirstMatch([negated], Alert) is not null);
    }

    [Fact]
    public void Rules_are_tried_in_order_and_the_first_whose_conditions_all_hold_wins()
    {
        var rules = new List<EventRule>
        {
            new("both", [new("labels.team", RuleOperator.Equals, "billing"), new("labels.env", RuleOperator.Equals, "staging")], new RuleActions(Priority: Priority.P4)),
            new("billing", [new("labels.team", RuleOperator.Equals, "billing")], new RuleActions(Priority: Priority.P1)),
            new("everything", [], new RuleActions(Priority: Priority.P3)),
        };
        var match = EventRuleEvaluator.FirstMatch(rules, Alert)!;
        Assert.Equal(1, match.Index);
        Assert.Equal("billing", match.Rule.Name);
        Assert.Equal(2, EventRuleEvaluator.FirstMatch(rules, Alert with { Labels = null })!.Index);
        Assert.Null(EventRuleEvaluator.FirstMatch([], Alert));
        Assert.Null(EventRuleEvaluator.FirstMatch(null, Alert));
    }

    [Fact]
    public void A_regex_that_runs_away_does_not_match_and_does_not_hang()
    {
        var evil = Alert with { Summary = new string('a', 5000) + "!" };
        var rule = new EventRule("redos", [new RuleCondition("summary", RuleOperator.Regex, "^(a+)+$")], new RuleActions(Suppress: true));
        Assert.Null(EventRuleEvaluator.FirstMatch([rule], evil));
    }

    [Fact]
    public void Details_that_are_not_an_object_are_simply_absent()
    {
        var rule = new EventRule("r", [new RuleCondition("custom_details.region", RuleOperator.Exists)], new RuleActions(Suppress: true));
        Assert.Null(EventRuleEvaluator.FirstMatch([rule], Alert with { DetailsJson = "[1,2]" }));
        Assert.Null(EventRuleEvaluator.FirstMatch([rule], Alert with { DetailsJson = null }));
    }
}
