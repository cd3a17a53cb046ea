using Escalation.Deadlines;
using Escalation.Rotations;

namespace Escalation.Maintenance;

/// <summary>
/// What a maintenance window grain persists. The window itself is the stored <see cref="MaintenanceWindow"/>
/// document; this is what was done about it: which occurrence's start and end were announced, what was last done to
/// the services' incidents, and the outbox of announcements.
/// </summary>
[GenerateSerializer, Alias("escalation.maintenance-window-state")]
public sealed record MaintenanceWindowState : IHasNextDeadline
{
    /// <summary>The start of the occurrence whose start was announced last.</summary>
    [Id(0)] public DateTimeOffset? Started { get; set; }

    /// <summary>The start of the occurrence whose end was announced last.</summary>
    [Id(1)] public DateTimeOffset? Ended { get; set; }

    /// <summary>What was last done to the open incidents ("held:…" or "released:…" and the occurrence): not done twice.</summary>
    [Id(2)] public string? IncidentsDone { get; set; }

    /// <summary>The outbox: an announcement is written here as pending before it is handed to the bus.</summary>
    [Id(3)] public List<Announcement> Announcements { get; set; } = [];

    /// <summary>The window as last seen: once it is deleted, its end is still announced to its services.</summary>
    [Id(4)] public MaintenanceWindow? LastWindow { get; set; }
    /// <summary>When the grain must next act (kept in the row for the deadline service).</summary>
    [Id(5)] public DateTimeOffset? NextDeadline { get; set; }
}
