using Escalation.Incidents;

namespace Escalation.Notifications;

public static class UrgencyRules
{
    public static Urgency Of(Severity severity, ServiceUrgency service) => service switch
    {
        ServiceUrgency.High => Urgency.High,
        ServiceUrgency.Low => Urgency.Low,
        _ => severity is Severity.Critical or Severity.Error ? Urgency.High : Urgency.Low,
    };
}
