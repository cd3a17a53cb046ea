using System.Text.Json.Nodes;

namespace Escalation.Silo.Channels.Slack;

/// <summary>
/// One chat.postMessage. <paramref name="Channel"/> is a channel id, or a user id for a DM.
/// <paramref name="Text"/> is the notification text and the fallback when <paramref name="Blocks"/> cannot be shown.
/// </summary>
public sealed record SlackPost(string Channel, string Text, JsonArray? Blocks, string? ThreadTs = null);
