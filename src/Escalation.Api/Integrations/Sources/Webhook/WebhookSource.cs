using System.Text.Json;
using Escalation.Alerts;
using Escalation.Api.Incidents;
using Escalation.Incidents;
using Escalation.Storage.Integrations;

namespace Escalation.Api.Integrations.Sources.Webhook;

/// <summary>
/// Any tool's JSON, read through the integration's <see cref="WebhookMapping"/> (its settings). What the mapping
/// needs and the payload lacks is a 400 naming the JSON pointer: the summary and dedup key of a trigger, the
/// dedup key of a resolve or acknowledge, and the action when it is read from the payload without a default.
/// Optional fields (source, links, labels) whose pointers are missing are left out.
/// </summary>
public sealed class WebhookSource : IAlertSource
{
    public const string Client = "webhook";

    public string Type => "webhook";

    public SigningSecretUse SigningSecret => SigningSecretUse.None;

    public IReadOnlyList<(string Field, string Error)> ValidateSettings(JsonElement? settings) => WebhookMapping.Parse(settings).Errors;

    public SourceResult Read(SourceRequest request)
    {
        var (mapping, settingsErrors) = WebhookMapping.Parse(request.Integration.Settings);
        if (mapping is null) return new SourceResult.Invalid(settingsErrors.Select(e => $"The integration's {e.Error}").ToList());

        var payload = request.Json;
        var errors = new List<string>();

        var action = AlertAction.Trigger;
        if (mapping.Action is { } mappedAction)
        {
            var name = mappedAction.Resolve(payload, WebhookMapping.Actions, out var missing, out var raw);
            if (name is null)
                errors.Add(missing
                    ? $"'{mappedAction.PathText}' is missing (mapped to settings.action)"
                    : $"'{mappedAction.PathText}' is '{raw}', which settings.action maps to no action");
            else action = Enum.Parse<AlertAction>(name, ignoreCase: true);
        }

        string? dedupKey = null;
        if (mapping.DedupKey is { } keyTemplate)
        {
            var key = keyTemplate.Render(payload, out var missing);
            if (missing is not null) errors.Add($"'{missing}' is missing (mapped to settings.dedup_key)");
            else if (string.IsNullOrWhiteSpace(key)) errors.Add("'settings.dedup_key' gave an empty dedup key for this payload");
            else if (key.Length > SourceFields.MaxDedupKey)
                errors.Add($"'settings.dedup_key' gave a dedup key of {key.Length} characters; at most {SourceFields.MaxDedupKey}");
            else dedupKey = key;
        }
        else if (action != AlertAction.Trigger) errors.Add($"'settings.dedup_key' is required to {action.ToString().ToLowerInvariant()}");

        var summary = mapping.Summary.Render(payload, out var summaryMissing);
        if (action == AlertAction.Trigger)
        {
            if (summaryMissing is not null) errors.Add($"'{summaryMissing}' is missing (mapped to settings.summary)");
            else if (string.IsNullOrWhiteSpace(summary)) errors.Add("'settings.summary' gave an empty summary for this payload");
        }
        if (errors.Count > 0) return new SourceResult.Invalid(errors);

        Severity? severity = null;
        if (mapping.Severity is { } mappedSeverity && mappedSeverity.Resolve(payload, WebhookMapping.Severities, out _, out _) is { } severityName)
            severity = SeverityNames.Parse(severityName);

        return new SourceResult.Alerts([new InboundAlert(
            action,
            dedupKey,
            SourceFields.Summary(summary),
            severity,
            Optional(mapping.Source, payload),
            Client,
            DetailsJson: mapping.Details is { } pointer && pointer.Evaluate(payload) is { } details ? details.GetRawText() : null,
            Labels: mapping.Labels
                .Select(l => (l.Key, Value: Optional(l.Value, payload)))
                .Where(l => l.Value is not null)
                .ToDictionary(l => l.Key, l => l.Value!),
            Links: mapping.Links
                .Select(l => (Href: Optional(l.Href, payload), Text: l.Text is null ? null : Optional(l.Text, payload)))
                .Where(l => l.Href is not null)
                .Select(l => new IncidentLink(l.Href!, l.Text))
                .ToList())]);
    }

    /// <summary>An optional field's text, or null when the payload lacks what it names or it comes out blank.</summary>
    private static string? Optional(PayloadTemplate? template, JsonElement payload)
    {
        if (template is null) return null;
        var text = template.Render(payload, out var missing);
        return missing is null && !string.IsNullOrWhiteSpace(text) ? text : null;
    }
}
