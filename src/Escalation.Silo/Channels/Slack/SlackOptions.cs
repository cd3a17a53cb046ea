namespace Escalation.Silo.Channels.Slack;

/// <summary>The Slack app's credentials and where its APIs live (overridable for tests).</summary>
public sealed class SlackOptions
{
    public const string Section = "Escalation:Channels:Slack";

    /// <summary>The bot user OAuth token (xoxb-…), sent as a bearer token to the Web API.</summary>
    public string? BotToken { get; set; }

    /// <summary>Signs the requests Slack sends us (interactions); see <see cref="SlackSignature"/>.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>The Web API root; method names are appended to it, so it ends with a slash.</summary>
    public string ApiBaseUrl { get; set; } = "https://slack.com/api/";

    /// <summary>Every interaction response_url must start here; any other URL is refused.</summary>
    public string ResponseUrlBase { get; set; } = "https://hooks.slack.com/";

    public bool Configured => !string.IsNullOrWhiteSpace(BotToken) && !string.IsNullOrWhiteSpace(SigningSecret);
}
