namespace Escalation.Silo.Channels.Twilio;

/// <summary>What a reply like "1a", "1c" or "1e" asks for.</summary>
public enum SmsAction
{
    Acknowledge,
    Resolve,
    Escalate,
}
