namespace Escalation.Silo.Channels.Twilio;

/// <summary>What an incoming SMS reply asks for.</summary>
public abstract record SmsCommand
{
    /// <summary>"1a", "12 c", "3e": act on the one page sent with that code.</summary>
    public sealed record Act(int Code, SmsAction Action) : SmsCommand;

    /// <summary>"aa": acknowledge every page in the bundle.</summary>
    public sealed record AcknowledgeAll : SmsCommand;

    /// <summary>"cc": resolve every page in the bundle.</summary>
    public sealed record ResolveAll : SmsCommand;

    /// <summary>One of Twilio's opt-out keywords. Twilio has already blocked further messages to this phone.</summary>
    public sealed record Stop : SmsCommand;

    /// <summary>One of Twilio's opt-in keywords. Twilio has already lifted its block.</summary>
    public sealed record Start : SmsCommand;

    public sealed record Help : SmsCommand;

    public sealed record Unknown : SmsCommand;
}
