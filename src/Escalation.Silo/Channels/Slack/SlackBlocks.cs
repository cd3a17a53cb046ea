using System.Text.Json.Nodes;

namespace Escalation.Silo.Channels.Slack;

/// <summary>
/// The few Block Kit elements incident messages use. Text is cut to Block Kit's limits here, because a block over
/// a limit makes Slack refuse the whole message (invalid_blocks), and a page that is never shown is worse than a
/// long title shown in part.
/// </summary>
internal static class SlackBlocks
{
    private const int SectionTextMax = 3000;
    private const int FieldTextMax = 2000;
    private const int ButtonTextMax = 75;
    private const int ButtonValueMax = 2000;

    public static JsonObject Section(string mrkdwn, params IEnumerable<string> fields)
    {
        var section = new JsonObject { ["type"] = "section", ["text"] = Mrkdwn(mrkdwn, SectionTextMax) };
        var fieldArray = new JsonArray(fields.Select(field => (JsonNode)Mrkdwn(field, FieldTextMax)).ToArray());
        if (fieldArray.Count > 0)
            section["fields"] = fieldArray;
        return section;
    }

    public static JsonObject Context(string mrkdwn) =>
        new() { ["type"] = "context", ["elements"] = new JsonArray(Mrkdwn(mrkdwn, SectionTextMax)) };

    public static JsonObject Actions(params IEnumerable<JsonObject> elements) =>
        new() { ["type"] = "actions", ["elements"] = new JsonArray(elements.Select(e => (JsonNode)e).ToArray()) };

    /// <param name="style">"primary" (green) or "danger" (red).</param>
    public static JsonObject Button(string actionId, string label, string style, string value) => new()
    {
        ["type"] = "button",
        ["action_id"] = actionId,
        ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = SlackMrkdwn.Fit(label, ButtonTextMax) },
        ["style"] = style,
        ["value"] = SlackMrkdwn.Fit(value, ButtonValueMax),
    };

    private static JsonObject Mrkdwn(string text, int max) =>
        new() { ["type"] = "mrkdwn", ["text"] = SlackMrkdwn.Fit(text, max) };
}
