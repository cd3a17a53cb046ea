namespace Escalation.Silo.Telemetry;

public sealed class MetricsOptions
{
    public const string Section = "Escalation:Metrics";

    /// <summary>Serve the Prometheus exposition at <c>/metrics</c> (anonymous, like the health probes).</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>How often each silo reads the open incidents and the notifications in flight from the database.</summary>
    public TimeSpan ReadEvery { get; set; } = TimeSpan.FromSeconds(15);
}
