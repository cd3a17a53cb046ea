using System.Diagnostics;

namespace Escalation.Telemetry;

/// <summary>Our own spans, where a trace would otherwise break: a notification leaving a grain's outbox for the bus.</summary>
public static class EscalationTraces
{
    public const string SourceName = "Escalation";

    public static readonly ActivitySource Source = new(SourceName);
}
