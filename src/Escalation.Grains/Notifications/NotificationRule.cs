namespace Escalation.Notifications;

/// <summary>A user's rule: page me on <paramref name="Channel"/>, <paramref name="After"/> from the moment I am paged.</summary>
[GenerateSerializer, Alias("escalation.notification-rule")]
public sealed record NotificationRule(
    [property: Id(0)] string Channel,
    [property: Id(1)] TimeSpan After,
    [property: Id(2)] RuleUrgency Urgency);
