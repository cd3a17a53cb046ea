using System.Text.Json.Nodes;

namespace Escalation.Api.Integrations.Sources.Webhook;

/// <summary>
/// Mappings shipped for tools whose webhooks are known, chosen with <c>{"preset": "uptimerobot"}</c>; settings given
/// beside the preset replace the preset's own of the same name.
/// </summary>
internal static class WebhookPresets
{
    /// <summary>
    /// UptimeRobot's webhook alert contact, with "Send as JSON" and the POST value README gives, which fills in
    /// UptimeRobot's variables: <c>*alertType*</c> 1 is down, 2 up, 3 an SSL certificate about to expire.
    /// </summary>
    public const string UptimeRobot = """
        {
          "summary": "{{/monitorFriendlyName}} is {{/alertTypeFriendlyName}}: {{/alertDetails}}",
          "dedup_key": "uptimerobot-{{/monitorID}}",
          "action": {"path": "/alertType", "map": {"1": "trigger", "2": "resolve", "3": "trigger"}},
          "severity": {"path": "/alertType", "map": {"1": "critical", "3": "warning"}},
          "source": "{{/monitorURL}}",
          "links": [{"href": "https://dashboard.uptimerobot.com/monitors/{{/monitorID}}", "text": "UptimeRobot monitor"}],
          "labels": {"monitor_id": "{{/monitorID}}", "alert_duration_seconds": "{{/alertDuration}}"}
        }
        """;

    public static readonly IReadOnlyDictionary<string, string> ByName = new Dictionary<string, string>
    {
        ["uptimerobot"] = UptimeRobot,
    };

    public static JsonObject Load(string name) => JsonNode.Parse(ByName[name])!.AsObject();
}
