namespace Escalation.Maintenance;

/// <summary>The stored maintenance windows, and whether one holds a service's pages now.</summary>
public interface IMaintenanceCalendar
{
    /// <summary>The window in effect for the service at <paramref name="at"/> that lasts longest; null when none is.</summary>
    Task<MaintenanceHold?> HoldFor(string serviceId, DateTimeOffset at);

    Task<MaintenanceWindow?> Get(string id);

    /// <summary>The windows not over yet at <paramref name="at"/>, of one service or of all.</summary>
    Task<IReadOnlyList<MaintenanceWindow>> Current(DateTimeOffset at, string? serviceId = null);

    Task Put(MaintenanceWindow window);

    Task<bool> Delete(string id);
}
