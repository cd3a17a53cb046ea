namespace Escalation.Silo.Channels.Twilio;

/// <summary>Twilio credentials and sender, bound from <see cref="Section"/>.</summary>
public sealed class TwilioOptions
{
    public const string Section = "Escalation:Channels:Twilio";

    public string AccountSid { get; set; } = "";

    public string AuthToken { get; set; } = "";

    /// <summary>The sending number in E.164 form. Not needed when <see cref="MessagingServiceSid"/> is set.</summary>
    public string? FromNumber { get; set; }

    /// <summary>When set, Twilio picks the sender from this Messaging Service's pool and <see cref="FromNumber"/> is not sent.</summary>
    public string? MessagingServiceSid { get; set; }

    public string ApiBaseUrl { get; set; } = "https://api.twilio.com/";

    /// <summary>At most one page SMS per number this often; pages inside it are bundled into the next SMS.</summary>
    public TimeSpan PagesPerNumberEvery { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long after its incident is resolved a reply code may be given to another incident.</summary>
    public TimeSpan ReplyCodeReuseAfter { get; set; } = TimeSpan.FromHours(1);

    public bool Configured =>
        !string.IsNullOrWhiteSpace(AccountSid)
        && !string.IsNullOrWhiteSpace(AuthToken)
        && (!string.IsNullOrWhiteSpace(FromNumber) || !string.IsNullOrWhiteSpace(MessagingServiceSid));
}
