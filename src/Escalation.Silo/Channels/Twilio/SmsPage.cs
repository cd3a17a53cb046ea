namespace Escalation.Silo.Channels.Twilio;

/// <summary>One page as it is texted to one phone. <paramref name="Code"/> is what the person replies with ("1a").</summary>
public sealed record SmsPage(int Code, string IncidentId, string Title, string Severity, string ServiceName);
