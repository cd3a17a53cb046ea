using System.Globalization;
using Escalation.Configuration;
using NodaTime;

namespace Escalation.Maintenance;

/// <summary>What a window says in a service's channel when an occurrence starts and when it ends.</summary>
public static class MaintenanceAnnouncements
{
    public const string Started = "maintenance_started";
    public const string Ended = "maintenance_ended";

    public static string StartText(MaintenanceWindow window, Service service, MaintenanceOccurrence occurrence) =>
        $"Maintenance started on {service.Name}{Reason(window)}, until {Time(window, occurrence.End)}. " +
        "Alerts are recorded and nobody is paged; open incidents stop escalating.";

    public static string EndText(MaintenanceWindow window, Service service, DateTimeOffset endedAt, string? endedBy) =>
        $"Maintenance ended on {service.Name}{Reason(window)} at {Time(window, endedAt)}{(endedBy is null ? "" : $", ended early by {endedBy}")}. " +
        "Alerts from the window that are still open take their route now.";

    /// <summary>The announcement's id: one per occurrence, event and channel, whatever silo decides it.</summary>
    public static string IdFor(string windowId, DateTimeOffset occurrenceStart, string kind, string slackChannel) =>
        $"maintenance:{windowId}/{occurrenceStart.UtcTicks}/{kind}/slack:{slackChannel}";

    private static string Reason(MaintenanceWindow window) => string.IsNullOrWhiteSpace(window.Reason) ? "" : $" ({window.Reason})";

    /// <summary>In the recurrence's time zone, else at the offset the window was given in.</summary>
    private static string Time(MaintenanceWindow window, DateTimeOffset at)
    {
        var local = window.Recurrence is { } r
            ? Instant.FromDateTimeOffset(at).InZone(DateTimeZoneProviders.Tzdb[r.TimeZone]).ToDateTimeOffset()
            : at.ToOffset(window.Start.Offset);
        var zone = window.Recurrence?.TimeZone ?? (local.Offset == TimeSpan.Zero ? "UTC" : "UTC" + local.ToString("zzz", CultureInfo.InvariantCulture));
        return $"{local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} {zone}";
    }
}
