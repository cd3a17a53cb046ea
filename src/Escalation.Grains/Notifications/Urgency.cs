namespace Escalation.Notifications;

[GenerateSerializer, Alias("escalation.urgency")]
public enum Urgency
{
    High,
    Low,
}
