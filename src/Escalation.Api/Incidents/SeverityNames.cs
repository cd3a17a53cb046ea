using Escalation.Incidents;

namespace Escalation.Api.Incidents;

public static class SeverityNames
{
    public static Severity? Parse(string name) => name switch
    {
        "critical" => Severity.Critical,
        "error" => Severity.Error,
        "warning" => Severity.Warning,
        "info" => Severity.Info,
        _ => null,
    };
}
