namespace Escalation.Silo.Channels.SendGrid;

/// <summary>One email to one recipient, with a plain-text and an HTML body.</summary>
public sealed record EmailMessage(string To, string Subject, string Text, string Html);
