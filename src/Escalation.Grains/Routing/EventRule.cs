using Escalation.Incidents;
using Escalation.Notifications;

namespace Escalation.Routing;

/// <summary>
/// One event rule of a service: when every condition holds for an incoming alert, its actions apply. Rules are
/// evaluated in order and the first that matches wins (<see cref="EventRuleEvaluator"/>).
/// </summary>
[GenerateSerializer, Alias("escalation.event-rule")]
public sealed record EventRule(
    [property: Id(0)] string? Name,
    [property: Id(1)] IReadOnlyList<RuleCondition> Conditions,
    [property: Id(2)] RuleActions Actions);

[GenerateSerializer, Alias("escalation.rule-operator")]
public enum RuleOperator
{
    Equals,
    Contains,
    Regex,
    Exists,
}

/// <summary>
/// A test on one field of the alert: <c>source</c>, <c>summary</c>, <c>severity</c>, <c>client</c> (which tool sent it),
/// <c>component</c>, <c>group</c>, <c>class</c>, <c>labels.NAME</c>, <c>custom_details.PATH</c> (dots between the
/// names), or <c>links</c> (any link's href). Text comparisons ignore case; a regex is .NET's, matched anywhere.
/// </summary>
[GenerateSerializer, Alias("escalation.rule-condition")]
public sealed record RuleCondition(
    [property: Id(0)] string Field,
    [property: Id(1)] RuleOperator Operator,
    [property: Id(2)] string? Value = null,
    [property: Id(3)] bool Negate = false);

/// <summary>What a matching rule does. <paramref name="Suppress"/> records the alert and pages nobody.</summary>
[GenerateSerializer, Alias("escalation.rule-actions")]
public sealed record RuleActions(
    [property: Id(0)] Priority? Priority = null,
    [property: Id(1)] Severity? Severity = null,
    [property: Id(2)] Urgency? Urgency = null,
    [property: Id(3)] string? RouteTo = null,
    [property: Id(4)] string? RunbookUrl = null,
    [property: Id(5)] bool Suppress = false);
