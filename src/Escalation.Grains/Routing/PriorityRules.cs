using Escalation.Incidents;

namespace Escalation.Routing;

public static class PriorityRules
{
    /// <summary>A source's severity as a priority: critical P1, error P2, warning P3, info P4.</summary>
    public static Priority FromSeverity(Severity severity) => severity switch
    {
        Severity.Critical => Priority.P1,
        Severity.Error => Priority.P2,
        Severity.Warning => Priority.P3,
        _ => Priority.P4,
    };

    /// <summary>The severity an incident shows when its source gave none: the one its priority stands for.</summary>
    public static Severity SeverityFor(Priority priority) => priority switch
    {
        Priority.P1 => Severity.Critical,
        Priority.P2 => Severity.Error,
        Priority.P3 => Severity.Warning,
        _ => Severity.Info,
    };
}
