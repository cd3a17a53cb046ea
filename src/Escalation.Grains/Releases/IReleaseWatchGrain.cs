using Escalation.Notifications;
using Escalation.Rotations;

namespace Escalation.Releases;

/// <summary>The watch of one production release, keyed by its change event's id.</summary>
[Alias("escalation.IReleaseWatchGrain")]
public interface IReleaseWatchGrain : IGrainWithStringKey
{
    /// <summary>Starts the watch; a second start of the same release changes nothing.</summary>
    [Alias("start")] Task Start(ReleaseWatch watch);

    [Alias("report-delivery")] Task ReportDelivery(DeliveryReport report);

    [Alias("announcements")] Task<IReadOnlyList<Announcement>> Announcements();
}
