using System.Text.Json;
using System.Text.Json.Nodes;

namespace Escalation.Api.Integrations.Sources.Webhook;

/// <summary>
/// A <c>webhook</c> integration's settings: how its tool's JSON becomes an alert. Text fields are
/// <see cref="PayloadTemplate"/>s; action and severity are <see cref="MappedValue"/>s; <c>details</c> is a JSON
/// pointer to the part kept as custom details (default: the whole payload).
/// </summary>
internal sealed record WebhookMapping(
    PayloadTemplate Summary,
    PayloadTemplate? DedupKey,
    MappedValue? Action,
    MappedValue? Severity,
    PayloadTemplate? Source,
    IReadOnlyList<(PayloadTemplate Href, PayloadTemplate? Text)> Links,
    IReadOnlyDictionary<string, PayloadTemplate> Labels,
    JsonPointer? Details)
{
    public static readonly string[] Actions = ["trigger", "acknowledge", "resolve"];
    public static readonly string[] Severities = ["critical", "error", "warning", "info"];
    private static readonly string[] Fields = ["preset", "summary", "dedup_key", "action", "severity", "source", "links", "labels", "details"];

    /// <summary>The mapping, or the errors in the settings, each naming its field (<c>settings.summary</c>, ...).</summary>
    public static (WebhookMapping? Mapping, List<(string Field, string Error)> Errors) Parse(JsonElement? settings)
    {
        var errors = new List<(string, string)>();
        if (settings is not { ValueKind: JsonValueKind.Object } given)
        {
            errors.Add(("settings", "'settings' must be an object mapping the payload: at least 'summary', or a 'preset' such as \"uptimerobot\""));
            return (null, errors);
        }
        if (WithPreset(given, errors) is not { } root) return (null, errors);

        foreach (var p in root.EnumerateObject())
            if (!Fields.Contains(p.Name))
                errors.Add(($"settings.{p.Name}", $"'settings.{p.Name}' is not a setting: use {string.Join(", ", Fields)}"));

        var summary = root.TryGetProperty("summary", out var s)
            ? Template(s, "settings.summary", errors)
            : Required("settings.summary", "a template such as \"{{/monitor/name}} is down\"", errors);
        var dedupKey = Optional(root, "dedup_key", errors);
        var action = root.TryGetProperty("action", out var a) ? MappedValue.Parse(a, "settings.action", Actions, errors) : null;
        var severity = root.TryGetProperty("severity", out var v) ? MappedValue.Parse(v, "settings.severity", Severities, errors) : null;
        var source = Optional(root, "source", errors);
        var links = ParseLinks(root, errors);
        var labels = ParseLabels(root, errors);
        var details = ParseDetails(root, errors);

        if (dedupKey is null && action is not null && (action.CanBe("resolve") || action.CanBe("acknowledge")))
            errors.Add(("settings.dedup_key", "'settings.dedup_key' is required when 'settings.action' can resolve or acknowledge: they find the alert by it"));

        return errors.Count > 0 || summary is null
            ? (null, errors)
            : (new WebhookMapping(summary, dedupKey, action, severity, source, links, labels, details), errors);
    }

    private static JsonElement? WithPreset(JsonElement given, List<(string, string)> errors)
    {
        if (!given.TryGetProperty("preset", out var preset)) return given;
        var name = preset.ValueKind == JsonValueKind.String ? preset.GetString() : null;
        if (name is null || !WebhookPresets.ByName.ContainsKey(name))
        {
            errors.Add(("settings.preset", $"'settings.preset' must be one of {string.Join(", ", WebhookPresets.ByName.Keys)}"));
            return null;
        }
        var merged = WebhookPresets.Load(name);
        foreach (var p in given.EnumerateObject())
            if (p.Name != "preset") merged[p.Name] = JsonNode.Parse(p.Value.GetRawText());
        return JsonSerializer.SerializeToElement(merged);
    }

    private static PayloadTemplate? Template(JsonElement value, string field, List<(string, string)> errors)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add((field, $"'{field}' must be a string: text with {{{{/json/pointer}}}} placeholders"));
            return null;
        }
        var template = PayloadTemplate.Parse(value.GetString()!, out var error);
        if (template is null) errors.Add((field, $"'{field}' {error}"));
        return template;
    }

    private static PayloadTemplate? Required(string field, string example, List<(string, string)> errors)
    {
        errors.Add((field, $"'{field}' is required: {example}"));
        return null;
    }

    private static PayloadTemplate? Optional(JsonElement root, string name, List<(string, string)> errors) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? Template(value, $"settings.{name}", errors) : null;

    private static List<(PayloadTemplate, PayloadTemplate?)> ParseLinks(JsonElement root, List<(string, string)> errors)
    {
        var links = new List<(PayloadTemplate, PayloadTemplate?)>();
        if (!root.TryGetProperty("links", out var list) || list.ValueKind == JsonValueKind.Null) return links;
        if (list.ValueKind != JsonValueKind.Array)
        {
            errors.Add(("settings.links", "'settings.links' must be an array of {href, text?}"));
            return links;
        }
        var i = 0;
        foreach (var link in list.EnumerateArray())
        {
            var field = $"settings.links[{i++}]";
            if (link.ValueKind != JsonValueKind.Object || !link.TryGetProperty("href", out var href))
            {
                errors.Add(($"{field}.href", $"'{field}.href' is required"));
                continue;
            }
            var hrefTemplate = Template(href, $"{field}.href", errors);
            var text = link.TryGetProperty("text", out var t) && t.ValueKind != JsonValueKind.Null ? Template(t, $"{field}.text", errors) : null;
            if (hrefTemplate is not null) links.Add((hrefTemplate, text));
        }
        return links;
    }

    private static Dictionary<string, PayloadTemplate> ParseLabels(JsonElement root, List<(string, string)> errors)
    {
        var labels = new Dictionary<string, PayloadTemplate>();
        if (!root.TryGetProperty("labels", out var map) || map.ValueKind == JsonValueKind.Null) return labels;
        if (map.ValueKind != JsonValueKind.Object)
        {
            errors.Add(("settings.labels", "'settings.labels' must be an object of label name to template"));
            return labels;
        }
        foreach (var p in map.EnumerateObject())
            if (Template(p.Value, $"settings.labels.{p.Name}", errors) is { } template)
                labels[p.Name] = template;
        return labels;
    }

    private static JsonPointer? ParseDetails(JsonElement root, List<(string, string)> errors)
    {
        if (!root.TryGetProperty("details", out var value)) return JsonPointer.Whole;
        if (value.ValueKind == JsonValueKind.Null) return null;
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (text is not null && (text.Length == 0 || text.StartsWith('/')) && JsonPointer.TryParse(text, out var pointer)) return pointer;
        errors.Add(("settings.details", "'settings.details' must be a JSON pointer to the custom details (\"\" for the whole payload), or null for none"));
        return null;
    }
}
