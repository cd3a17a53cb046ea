namespace Escalation.Incidents;

[GenerateSerializer, Alias("escalation.incident-status")]
public enum IncidentStatus
{
    Triggered,
    Acknowledged,
    Resolved,
}
