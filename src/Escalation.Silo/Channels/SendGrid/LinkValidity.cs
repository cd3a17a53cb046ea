using Escalation.Incidents;

namespace Escalation.Silo.Channels.SendGrid;

/// <summary>
/// Whether a genuine, unexpired link still stands for the incident as it is now. A link answers the page it came
/// with: an acknowledge link is spent once the incident is acknowledged or resolved, a resolve link once it is
/// resolved, and both once an acknowledgement timed out and the incident was paged again (a new cycle), whose
/// emails carry links of their own. An old mail is then no standing key to the incident. This is what the
/// confirmation page shows; the incident grain itself refuses a spent link's command (<see cref="CommandExpectation"/>).
/// </summary>
public static class LinkValidity
{
    /// <summary>Why the link no longer acts, in words for its page; null while it does.</summary>
    public static string? Stale(ActionLink link, IncidentState incident)
    {
        if (incident.Status == IncidentStatus.Resolved)
            return $"Incident {incident.Id} is already resolved by {incident.ResolvedBy}.";
        if (link.Action == LinkAction.Acknowledge && incident.Status == IncidentStatus.Acknowledged && incident.Cycle == link.Cycle)
            return $"Incident {incident.Id} is already acknowledged by {incident.AcknowledgedBy}.";
        return Expectation(link).UnmetBy(incident, acknowledging: link.Action == LinkAction.Acknowledge);
    }

    /// <summary>What the link's command expects of the incident, checked by the grain in the command's turn.</summary>
    public static CommandExpectation Expectation(ActionLink link) => new(link.Cycle);
}
