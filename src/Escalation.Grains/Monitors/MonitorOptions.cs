namespace Escalation.Monitors;

public sealed class MonitorOptions
{
    public const string Section = "Escalation:Monitors";

    /// <summary>Lets HTTP checks reach link-local and cloud-metadata addresses; off, because the checker could be turned on them.</summary>
    public bool AllowLinkLocal { get; set; }

    /// <summary>How many HTTP checks one silo runs at once; the rest wait for a slot.</summary>
    public int MaxConcurrentChecks { get; set; } = 64;
}
