namespace Escalation.Silo.Channels.SendGrid;

/// <summary>A rendered email without its recipient.</summary>
public sealed record EmailContent(string Subject, string Text, string Html)
{
    public EmailMessage AddressedTo(string recipient) => new(recipient, Subject, Text, Html);
}
