namespace Escalation.Silo.Channels.Slack;

/// <summary>The action ids of the buttons on incident messages, and what each asks of the incident.</summary>
public static class SlackActions
{
    public const string Acknowledge = "incident.acknowledge";
    public const string Resolve = "incident.resolve";

    /// <summary>"acknowledge" or "resolve" for our buttons; null for an action id that is not ours.</summary>
    public static string? InteractionAction(string actionId) => actionId switch
    {
        Acknowledge => "acknowledge",
        Resolve => "resolve",
        _ => null,
    };
}
