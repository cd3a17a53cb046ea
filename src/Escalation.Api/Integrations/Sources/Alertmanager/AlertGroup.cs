using System.Text.Json;
using System.Text.Json.Nodes;
using Escalation.Alerts;
using Escalation.Incidents;

namespace Escalation.Api.Integrations.Sources.Alertmanager;

/// <summary>One alert of a group as Alertmanager (and Grafana, which has the same shape) sends it.</summary>
public sealed record GroupedAlert(
    int Index,
    JsonElement Element,
    bool Firing,
    string Fingerprint,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    string? GeneratorUrl);

/// <summary>
/// A notification of Alertmanager's webhook receiver (<c>version: "4"</c>): a group of alerts with the labels they
/// share. Grafana's webhook contact point sends the same shape with more fields, read by its own source on top.
/// Every field is checked before any alert is made, so a bad payload is refused whole.
/// </summary>
public sealed record AlertGroup(
    IReadOnlyList<GroupedAlert> Alerts,
    IReadOnlyDictionary<string, string> CommonLabels,
    string? ExternalUrl)
{
    public const int MaxDedupKey = 255;
    public const int MaxSummary = 1024;

    public static (AlertGroup? Group, List<string> Errors) Read(JsonElement root)
    {
        var errors = new List<string>();
        if (root.ValueKind != JsonValueKind.Object) return (null, ["The body must be a JSON object"]);
        var commonLabels = StringMap(root, "commonLabels", "commonLabels", errors);
        var externalUrl = OptionalString(root, "externalURL", "externalURL", errors);
        if (!root.TryGetProperty("alerts", out var array) || array.ValueKind == JsonValueKind.Null)
            return (null, ["'alerts' is missing"]);
        if (array.ValueKind != JsonValueKind.Array) return (null, ["'alerts' must be an array"]);

        var alerts = new List<GroupedAlert>();
        var i = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (ReadAlert(i, element, errors) is { } alert) alerts.Add(alert);
            i++;
        }
        return errors.Count > 0 ? (null, errors) : (new AlertGroup(alerts, commonLabels, externalUrl), errors);
    }

    private static GroupedAlert? ReadAlert(int i, JsonElement element, List<string> errors)
    {
        var at = $"alerts[{i}]";
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"'{at}' must be an object");
            return null;
        }
        var before = errors.Count;
        var status = RequiredString(element, "status", $"{at}.status", errors);
        if (status is not null and not ("firing" or "resolved")) errors.Add($"'{at}.status' must be firing or resolved");
        var fingerprint = RequiredString(element, "fingerprint", $"{at}.fingerprint", errors);
        if (fingerprint is { Length: > MaxDedupKey }) errors.Add($"'{at}.fingerprint' must be at most {MaxDedupKey} characters");
        var labels = StringMap(element, "labels", $"{at}.labels", errors);
        var annotations = StringMap(element, "annotations", $"{at}.annotations", errors);
        var generatorUrl = OptionalString(element, "generatorURL", $"{at}.generatorURL", errors);
        return errors.Count > before ? null : new GroupedAlert(i, element, status == "firing", fingerprint!, labels, annotations, generatorUrl);
    }

    /// <summary>
    /// The alert as every source's alerts are: keyed by its fingerprint, its summary from the annotations (else its
    /// name), its severity from the <c>severity</c> label, labels the group's and its own, and its links.
    /// </summary>
    public InboundAlert ToInbound(GroupedAlert alert, string client, IEnumerable<IncidentLink> moreLinks, JsonObject? moreDetails = null)
    {
        var labels = new Dictionary<string, string>(CommonLabels);
        foreach (var (name, value) in alert.Labels) labels[name] = value;
        var links = new List<IncidentLink>();
        AddLink(links, alert.GeneratorUrl, "Source");
        AddLink(links, alert.Annotations.GetValueOrDefault("runbook_url"), "Runbook");
        foreach (var link in moreLinks) AddLink(links, link.Href, link.Text);
        AddLink(links, ExternalUrl, client == "grafana" ? "Grafana" : "Alertmanager");

        var details = new JsonObject
        {
            ["labels"] = ToJson(alert.Labels),
            ["annotations"] = ToJson(alert.Annotations),
        };
        foreach (var (name, value) in moreDetails ?? []) details[name] = value?.DeepClone();

        return new InboundAlert(
            alert.Firing ? AlertAction.Trigger : AlertAction.Resolve,
            alert.Fingerprint,
            Summary(alert, labels),
            SeverityOf(labels.GetValueOrDefault("severity")),
            labels.GetValueOrDefault("instance") ?? labels.GetValueOrDefault("job") ?? client,
            client,
            Component: labels.GetValueOrDefault("job"),
            DetailsJson: details.ToJsonString(),
            Labels: labels,
            Links: links);
    }

    /// <summary>Alertmanager's conventional <c>severity</c> label; anything else says nothing, and the rules decide.</summary>
    public static Severity? SeverityOf(string? label) => label?.ToLowerInvariant() switch
    {
        "critical" => Severity.Critical,
        "error" => Severity.Error,
        "warning" => Severity.Warning,
        "info" => Severity.Info,
        _ => null,
    };

    private static string Summary(GroupedAlert alert, IReadOnlyDictionary<string, string> labels)
    {
        var summary = First(alert.Annotations.GetValueOrDefault("summary"), alert.Annotations.GetValueOrDefault("description"),
            alert.Annotations.GetValueOrDefault("title"), labels.GetValueOrDefault("alertname")) ?? $"Alert {alert.Fingerprint}";
        return summary.Length > MaxSummary ? summary[..(MaxSummary - 1)] + "…" : summary;
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    /// <summary>Only absolute http(s) links become links: they end up as buttons in Slack and mail.</summary>
    private static void AddLink(List<IncidentLink> links, string? href, string? text)
    {
        if (string.IsNullOrWhiteSpace(href) || !Uri.TryCreate(href, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return;
        if (links.Any(l => l.Href == href)) return;
        links.Add(new IncidentLink(href, text));
    }

    private static JsonObject ToJson(IReadOnlyDictionary<string, string> map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map) o[k] = v;
        return o;
    }

    public static string? OptionalString(JsonElement obj, string name, string path, List<string> errors)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        errors.Add($"'{path}' must be a string");
        return null;
    }

    /// <summary>A string that must be there and not blank.</summary>
    public static string? RequiredString(JsonElement obj, string name, string path, List<string> errors)
    {
        var before = errors.Count;
        var value = OptionalString(obj, name, path, errors);
        if (string.IsNullOrWhiteSpace(value) && errors.Count == before) errors.Add($"'{path}' is missing");
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>A map of strings to strings (labels, annotations); empty when absent.</summary>
    public static IReadOnlyDictionary<string, string> StringMap(JsonElement obj, string name, string path, List<string> errors)
    {
        var map = new Dictionary<string, string>();
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return map;
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"'{path}' must be an object of strings");
            return map;
        }
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String) map[property.Name] = property.Value.GetString()!;
            else errors.Add($"'{path}.{property.Name}' must be a string");
        }
        return map;
    }
}
