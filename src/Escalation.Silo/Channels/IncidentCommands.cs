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
    public static Task<CommandResult> Run(this IGrainFactory grains, string incidentId, IncidentCommand command, string by, string note)
    {
        if (!IncidentIds.IsWellFormed(incidentId)) return Task.FromResult(CommandResult.NotFound(incidentId));
        var incident = grains.GetGrain<IIncidentGrain>(incidentId);
        return command switch
        {
            IncidentCommand.Acknowledge => incident.Acknowledge(by, note),
            IncidentCommand.Resolve => incident.Resolve(by, note),
            _ => incident.Escalate(by, note),
        };
    }
}
