namespace Escalation.Notifications;

/// <summary>Which incidents a notification rule applies to.</summary>
[GenerateSerializer, Alias("escalation.rule-urgency")]
public enum RuleUrgency
{
    Any,
    High,
    Low,
}
