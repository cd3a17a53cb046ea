using System.Text.RegularExpressions;

namespace Escalation.Silo.Channels.Twilio;

/// <summary>Reads the body of an SMS someone sent back to a page.</summary>
public static partial class SmsReply
{
    // Twilio acts on these only when they are the whole message (case and surrounding whitespace aside), so "stop paging me"
    // is not an opt-out there and must not be one here either: our view of who opted out has to match Twilio's block list.
    private static readonly HashSet<string> OptOut = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"];
    private static readonly HashSet<string> OptIn = ["START", "YES", "UNSTOP"];
    private static readonly HashSet<string> HelpWords = ["HELP", "INFO"];

    public static SmsCommand Parse(string? body)
    {
        var text = body?.Trim().ToUpperInvariant() ?? "";
        var act = CodeAndAction().Match(text);
        if (act.Success && int.TryParse(act.Groups["code"].ValueSpan, out var code))
        {
            return new SmsCommand.Act(code, act.Groups["action"].Value switch
            {
                "A" => SmsAction.Acknowledge,
                "C" => SmsAction.Resolve,
                _ => SmsAction.Escalate,
            });
        }
        return text switch
        {
            "AA" => new SmsCommand.AcknowledgeAll(),
            "CC" => new SmsCommand.ResolveAll(),
            _ when OptOut.Contains(text) => new SmsCommand.Stop(),
            _ when OptIn.Contains(text) => new SmsCommand.Start(),
            _ when HelpWords.Contains(text) => new SmsCommand.Help(),
            _ => new SmsCommand.Unknown(),
        };
    }

    [GeneratedRegex(@"^(?<code>[0-9]{1,9})\s*(?<action>[ACE])$", RegexOptions.CultureInvariant)]
    private static partial Regex CodeAndAction();
}
