using Escalation.Keys;
using Escalation.Notifications;

namespace Escalation.Maintenance;

/// <summary>
/// One maintenance window, keyed by its id (escaped, see <see cref="MaintenanceKeys"/>). It keeps the window's starts
/// and ends as its deadline: at each it announces the window in the services' channels and holds or releases their
/// open incidents. Incidents that arrive during a window hold themselves (see the incident grain).
/// </summary>
[Alias("escalation.IMaintenanceWindowGrain")]
public interface IMaintenanceWindowGrain : IGrainWithStringKey
{
    /// <summary>The stored window was created: schedule from it (and act at once if it is in effect).</summary>
    [Alias("reschedule")] Task Reschedule();

    /// <summary>Ends the occurrence in effect now. NotFound when there is no such window, Conflict when none is in effect.</summary>
    [Alias("end")] Task<Incidents.CommandResult> End(string by);

    /// <summary>The stored window was deleted: an occurrence in effect ends now, then the grain forgets it.</summary>
    [Alias("forget")] Task Forget();

    [Alias("report-delivery")] Task ReportDelivery(DeliveryReport report);

    /// <summary>The announcements in the outbox, sent or not.</summary>
    [Alias("announcements")] Task<IReadOnlyList<Rotations.Announcement>> Announcements();
}

public static class MaintenanceKeys
{
    public static string For(string windowId) => GrainKey.Escape(windowId);

    public static string IdOf(string grainKey) => GrainKey.Unescape(grainKey);

    public static string NewId() => "mw-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
}
