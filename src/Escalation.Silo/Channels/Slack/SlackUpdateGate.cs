using Escalation.Storage.Deliveries;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Silo.Notifications;

namespace Escalation.Silo.Channels.Slack;

/// <summary>
/// Whether a Slack update must wait before it runs. An update rewrites the messages the ledger shows sent and replies
/// in the channel post's thread, so it waits while an earlier Slack message of the incident is still being sent (it
/// may go out showing the incident as it was before this turn), while the channel post is not yet claimed (the reply
/// needs its thread), and while an earlier update is not done (the thread tells the turns in order). A message not yet
/// claimed needs no waiting for otherwise: it reads the incident after its claim.
/// </summary>
public static class SlackUpdateGate
{
    /// <summary>How often a waiting update looks again.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longer than a message's five attempts take, and than a dead holder's lease: past it the update does what it
    /// can rather than hold a consumer slot for ever.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    public static bool MustWait(string updateId, IncidentState incident, IReadOnlyList<ChannelMessage> ledger, DateTimeOffset now)
    {
        var index = incident.Notifications.FindIndex(n => n.Id == updateId);
        if (index < 0 || now - incident.Notifications[index].CreatedAt > Patience) return false;
        var claimed = ledger.ToDictionary(m => m.NotificationId, m => m.Status);
        return incident.Notifications.Take(index).Any(earlier => earlier.Channel == ChannelNames.Slack && Unfinished(earlier, claimed));
    }

    private static bool Unfinished(NotificationRecord earlier, Dictionary<string, DeliveryStatus> claimed) =>
        claimed.TryGetValue(earlier.Id, out var status)
            ? status == DeliveryStatus.Sending
            : earlier.Kind != NotificationKind.Page && earlier.Status == NotificationStatus.Pending;
}
