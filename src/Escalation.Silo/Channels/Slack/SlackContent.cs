using System.Text.Json.Nodes;

namespace Escalation.Silo.Channels.Slack;

/// <summary>A rendered message: the notification/fallback text and its Block Kit blocks.</summary>
public sealed record SlackContent(string Text, JsonArray Blocks);
