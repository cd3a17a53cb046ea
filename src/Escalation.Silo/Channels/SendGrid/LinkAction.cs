namespace Escalation.Silo.Channels.SendGrid;

/// <summary>What a link in a page email lets its recipient do to the incident.</summary>
public enum LinkAction
{
    Acknowledge,
    Resolve,
}
