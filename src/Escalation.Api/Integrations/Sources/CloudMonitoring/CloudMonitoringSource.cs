using System.Text.Json;
using System.Text.Json.Nodes;
using Escalation.Alerts;
using Escalation.Incidents;

namespace Escalation.Api.Integrations.Sources.CloudMonitoring;

/// <summary>
/// Google Cloud Monitoring's webhook notification channel: one incident per request, schema <c>version: "1.2"</c>
/// (cloud.google.com/monitoring/support/notification-options#webhooks). <c>state: open</c> triggers and
/// <c>closed</c> resolves, keyed by <c>incident.incident_id</c>. Cloud Monitoring signs nothing: its token in the URL
/// or basic auth, both checked before this is asked, are the credential.
/// </summary>
public sealed class CloudMonitoringSource : IAlertSource
{
    public const string Client = "cloud-monitoring";
    public const string SchemaVersion = "1.2";

    public string Type => "cloud-monitoring";

    public SigningSecretUse SigningSecret => SigningSecretUse.None;

    public SourceResult Read(SourceRequest request)
    {
        var root = request.Json;
        if (root.ValueKind != JsonValueKind.Object) return SourceResult.Invalid.Of("The payload must be a JSON object");
        var version = SourceFields.Text(root, "version");
        if (version is null) return SourceResult.Invalid.Of("'version' is missing");
        if (version != SchemaVersion) return SourceResult.Invalid.Of($"'version' must be \"{SchemaVersion}\", the incident schema this reads; got \"{version}\"");
        if (SourceFields.Object(root, "incident") is not { } incident) return SourceResult.Invalid.Of("'incident' is missing or not an object");
        if (SourceFields.Text(incident, "incident_id") is not { } id) return SourceResult.Invalid.Of("'incident.incident_id' is missing");

        var state = SourceFields.Text(incident, "state")?.ToLowerInvariant();
        var action = state switch
        {
            "open" => AlertAction.Trigger,
            "closed" => AlertAction.Resolve,
            _ => (AlertAction?)null,
        };
        if (state == "acknowledged") return new SourceResult.Ignored("an acknowledgement in Cloud Monitoring carries no alert");
        if (action is null) return SourceResult.Invalid.Of("'incident.state' must be open or closed");

        return new SourceResult.Alerts([new InboundAlert(
            action.Value,
            id,
            Summary(incident, id),
            SeverityOf(SourceFields.Text(incident, "severity")),
            SourceFields.Text(incident, "resource_display_name") ?? SourceFields.Text(incident, "resource_name")
                ?? SourceFields.Text(incident, "scoping_project_id"),
            Client,
            Component: SourceFields.Object(incident, "resource") is { } resource ? SourceFields.Text(resource, "type") : null,
            Group: SourceFields.Text(incident, "scoping_project_id"),
            Class: SourceFields.Object(incident, "metric") is { } metric ? SourceFields.Text(metric, "type") : null,
            DetailsJson: Details(incident),
            Labels: Labels(incident),
            Links: Links(incident))]);
    }

    /// <summary>CRITICAL, ERROR and WARNING as the policy sets them; "no severity" and anything else say none.</summary>
    public static Severity? SeverityOf(string? severity) => severity?.ToUpperInvariant() switch
    {
        "CRITICAL" => Severity.Critical,
        "ERROR" => Severity.Error,
        "WARNING" => Severity.Warning,
        _ => null,
    };

    private static string Summary(JsonElement incident, string id)
    {
        if (SourceFields.Text(incident, "summary") is { } summary) return SourceFields.Summary(summary);
        var parts = new[] { SourceFields.Text(incident, "policy_name"), SourceFields.Text(incident, "condition_name") }.OfType<string>().ToList();
        return SourceFields.Summary(parts.Count > 0 ? string.Join(": ", parts) : $"Cloud Monitoring incident {id}");
    }

    /// <summary>
    /// Resource labels, then metric labels, then the policy's user labels, a later one winning on a shared name: the
    /// policy's labels are the ones people set on purpose (a <c>team</c> or <c>severity</c> for event rules to read).
    /// </summary>
    private static Dictionary<string, string> Labels(JsonElement incident)
    {
        var labels = new Dictionary<string, string>();
        var resource = SourceFields.Object(incident, "resource");
        var metric = SourceFields.Object(incident, "metric");
        foreach (var set in (JsonElement?[])[
                     resource is { } r ? SourceFields.Object(r, "labels") : null,
                     metric is { } m ? SourceFields.Object(m, "labels") : null,
                     SourceFields.Object(incident, "policy_user_labels")])
            foreach (var (key, value) in SourceFields.Scalars(set))
                labels[key] = value;
        return labels;
    }

    /// <summary>The incident's page, then the policy documentation's links (<c>displayName</c> and <c>url</c> each).</summary>
    private static List<IncidentLink> Links(JsonElement incident)
    {
        var links = new List<IncidentLink>();
        if (SourceFields.Text(incident, "url") is { } url) links.Add(new IncidentLink(url, "Cloud Monitoring incident"));
        if (SourceFields.Object(incident, "documentation") is { } doc && SourceFields.Array(doc, "links") is { } docLinks)
            foreach (var link in docLinks.EnumerateArray())
                if (SourceFields.Text(link, "url") is { } href)
                    links.Add(new IncidentLink(href, SourceFields.Text(link, "displayName") ?? SourceFields.Text(link, "display_name")));
        return links;
    }

    private static string Details(JsonElement incident)
    {
        var details = new JsonObject();
        foreach (var name in (string[])["policy_name", "condition_name", "observed_value", "threshold_value", "scoping_project_id", "started_at", "ended_at"])
            if (SourceFields.Text(incident, name) is { } value) details[name] = value;
        if (SourceFields.Object(incident, "documentation") is { } doc && SourceFields.Text(doc, "content") is { } content)
            details["documentation"] = content;
        return details.ToJsonString();
    }
}
