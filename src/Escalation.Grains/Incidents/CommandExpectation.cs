namespace Escalation.Incidents;

/// <summary>
/// What a command sent from an old message (an email link) expects the incident still to be: in the cycle the
/// message was sent for, and, for an acknowledgement, not yet acknowledged in that cycle. The grain checks it in the
/// command's own turn, so nothing that happened between the link's page and its click slips through.
/// </summary>
[GenerateSerializer, Alias("escalation.command-expectation")]
public sealed record CommandExpectation([property: Id(0)] int Cycle)
{
    /// <summary>Why the incident is no longer as expected, in words for the responder; null while it is.</summary>
    public string? UnmetBy(IncidentState incident, bool acknowledging)
    {
        if (incident.Cycle != Cycle)
            return $"Incident {incident.Id} was paged again after this email was sent: use the links in the newest email.";
        // Escalated by hand after an acknowledgement, the incident is triggered again in the same cycle; the
        // acknowledgement this link asked for was given.
        if (acknowledging && incident.LastAcknowledgedCycle == Cycle)
            return $"Incident {incident.Id} was already acknowledged after this email was sent.";
        return null;
    }
}
