using Escalation.Incidents;

namespace Escalation.Silo.Channels;

/// <summary>What a responder can do from a Slack button, an SMS reply or an email link.</summary>
public enum IncidentCommand
{
    Acknowledge,
    Resolve,
    Escalate,
}

public static class IncidentCommands
{
    /// <param name="expected">what the incident must still be for the command to act (an email link's cycle)</param>
    public static Task<CommandResult> Run(this IGrainFactory grains, string incidentId, IncidentCommand command, string by, string note,
        CommandExpectation? expected = null)
    {
        if (!IncidentIds.IsWellFormed(incidentId)) return Task.FromResult(CommandResult.NotFound(incidentId));
        var incident = grains.GetGrain<IIncidentGrain>(incidentId);
        return command switch
        {
            IncidentCommand.Acknowledge => incident.Acknowledge(by, note, expected),
            IncidentCommand.Resolve => incident.Resolve(by, note, expected: expected),
            _ => incident.Escalate(by, note),
        };
    }
}
