namespace Escalation.Silo.Deadlines;

/// <summary>How the deadline service sweeps (<c>Escalation:Deadlines</c>).</summary>
public sealed class DeadlineOptions
{
    public const string Section = "Escalation:Deadlines";

    /// <summary>How often each silo loads the deadlines of its range falling due before the next load (and a quarter more).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many owners' deadline calls may be in flight at once.</summary>
    public int MaxConcurrentCalls { get; set; } = 256;

    /// <summary>After a deadline call failed (the database away, say), when it is tried again.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
