namespace Escalation.Incidents;

public sealed class IncidentOptions
{
    public const string Section = "Escalation:Incidents";

    /// <summary>A page handed to the bus that has not been reported on within this time is handed over again.</summary>
    public TimeSpan RedriveAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeline entries an incident keeps in its state; older ones go to the archive table (still shown).</summary>
    public int KeepTimelineEntries { get; set; } = 200;

    /// <summary>Notifications an incident keeps in its state, as far as older ones are settled and done with.</summary>
    public int KeepNotifications { get; set; } = 200;

    /// <summary>While nobody has been reached, the first wait before paging the same people again; it doubles from there.</summary>
    public TimeSpan RetryUnreachedAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest wait between two rounds of paging again while nobody has been reached.</summary>
    public TimeSpan RetryUnreachedAtMost { get; set; } = TimeSpan.FromMinutes(1);
}
