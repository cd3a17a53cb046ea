using System.Text.Json;
using Escalation.Alerts;
using Escalation.Api.Incidents;
using Escalation.Incidents;
using static Escalation.Api.Events.EventFields;

namespace Escalation.Api.Events;

/// <summary>A PagerDuty Events API v2 event, read by hand so that every error can be named as PagerDuty names it.</summary>
public sealed record EventV2(string RoutingKey, InboundAlert Alert)
{
    private const int MaxSummary = 1024;
    private const int MaxDedupKey = 255;
    private const string Client = "events-v2";
    private static readonly string[] Actions = ["trigger", "acknowledge", "resolve"];

    /// <summary>Parses the event into the alert every source makes.</summary>
    public static (EventV2? Event, List<string> Errors) Parse(JsonElement root)
    {
        var errors = new List<string>();
        if (root.ValueKind != JsonValueKind.Object) return (null, ["Event must be a JSON object"]);

        var routingKey = EventFields.RoutingKey(root, errors);

        var action = String(root, "event_action");
        if (action is null) errors.Add("'event_action' is missing or blank");
        else if (!Actions.Contains(action)) errors.Add("'event_action' must be one of trigger, acknowledge or resolve");

        var dedupKey = String(root, "dedup_key");
        if (dedupKey is { Length: > MaxDedupKey }) errors.Add($"'dedup_key' must be at most {MaxDedupKey} characters");
        if (action is "acknowledge" or "resolve" && string.IsNullOrEmpty(dedupKey))
            errors.Add($"'dedup_key' is required for event_action '{action}'");
        NotAString(root, "dedup_key", errors);

        InboundAlert? alert = null;
        if (action == "trigger") alert = ParseTrigger(root, dedupKey, errors);
        else if (action is "acknowledge" or "resolve")
            alert = new InboundAlert(action == "resolve" ? AlertAction.Resolve : AlertAction.Acknowledge, dedupKey, "", null, null, Client);

        return errors.Count > 0 ? (null, errors) : (new EventV2(routingKey!, alert!), errors);
    }

    private static InboundAlert? ParseTrigger(JsonElement root, string? dedupKey, List<string> errors)
    {
        if (!root.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            errors.Add("'payload' is missing or not an object");
            return null;
        }
        var summary = String(payload, "summary");
        if (string.IsNullOrWhiteSpace(summary)) errors.Add("'payload.summary' is missing or blank");
        else if (summary.Length > MaxSummary) errors.Add($"'payload.summary' must be at most {MaxSummary} characters");
        var source = String(payload, "source");
        if (string.IsNullOrWhiteSpace(source)) errors.Add("'payload.source' is missing or blank");
        var severity = SeverityNames.Parse(String(payload, "severity") ?? "");
        if (severity is null) errors.Add("'payload.severity' must be one of critical, error, warning or info");
        if (String(payload, "timestamp") is { } ts && !DateTimeOffset.TryParse(ts, out _))
            errors.Add("'payload.timestamp' must be an ISO-8601 date-time");
        foreach (var name in (string[])["summary", "source", "severity", "timestamp", "component", "group", "class"])
            NotAString(payload, name, errors, "payload.");

        var links = Links(root, errors);

        if (errors.Count > 0) return null;
        var details = CustomDetails(payload);
        return new InboundAlert(AlertAction.Trigger, dedupKey, summary!, severity!.Value, source, Client,
            String(payload, "component"), String(payload, "group"), String(payload, "class"), details, null, links);
    }
}
