namespace Escalation.Silo.Channels.SendGrid;

/// <summary>How the email channel reaches SendGrid. Without an API key and a sender address the channel stays off.</summary>
public sealed class SendGridOptions
{
    public const string Section = "Escalation:Channels:SendGrid";

    public string? ApiKey { get; set; }

    /// <summary>The sender address; SendGrid only accepts one that is a verified sender identity of the account.</summary>
    public string? FromEmail { get; set; }

    public string FromName { get; set; } = "Escalation";

    public string ApiBaseUrl { get; set; } = "https://api.sendgrid.com";

    public bool Configured => !string.IsNullOrWhiteSpace(ApiKey) && !string.IsNullOrWhiteSpace(FromEmail);
}
