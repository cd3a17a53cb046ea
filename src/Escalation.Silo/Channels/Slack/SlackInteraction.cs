using System.Text.Json.Nodes;

namespace Escalation.Silo.Channels.Slack;

/// <summary>The parts of a Slack block_actions payload that matter here.</summary>
public sealed record SlackInteraction(string SlackUserId, string ActionId, string IncidentId, Uri? ResponseUrl)
{
    public static SlackInteraction? Parse(string formBody)
    {
        var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(formBody);
        if (!form.TryGetValue("payload", out var payload)) return null;
        try
        {
            var json = JsonNode.Parse(payload.ToString());
            var action = json?["actions"]?.AsArray().FirstOrDefault();
            var userId = json?["user"]?["id"]?.GetValue<string>();
            var actionId = action?["action_id"]?.GetValue<string>();
            var value = action?["value"]?.GetValue<string>();
            if (userId is null || actionId is null || value is null || WebhookBodies.HoldNul([userId, actionId, value])) return null;
            var responseUrl = json?["response_url"]?.GetValue<string>() is { } u && Uri.TryCreate(u, UriKind.Absolute, out var parsed) ? parsed : null;
            return new SlackInteraction(userId, actionId, value, responseUrl);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
