namespace Escalation.Incidents;

/// <summary>PagerDuty Events v2 severities.</summary>
[GenerateSerializer, Alias("escalation.severity")]
public enum Severity
{
    Critical,
    Error,
    Warning,
    Info,
}
