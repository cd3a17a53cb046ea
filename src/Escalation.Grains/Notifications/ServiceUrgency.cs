namespace Escalation.Notifications;

/// <summary>How a service turns an alert's severity into urgency, as PagerDuty's service urgency setting does.</summary>
[GenerateSerializer, Alias("escalation.service-urgency")]
public enum ServiceUrgency
{
    /// <summary>critical and error are high urgency; warning and info are low.</summary>
    SeverityBased,
    High,
    Low,
}
