using System.Text.Json;
using Escalation.Alerts;

namespace Escalation.Api.Integrations.Sources.Sentry;

/// <summary>
/// The legacy WebHooks plugin's payload (sentry: src/sentry/sentry_apps/services/legacy_webhook, formerly
/// sentry-plugins' webhooks plugin): posted, unsigned, when an alert rule fires, with the issue's id and page, the
/// event's level tag and the event itself. It only ever triggers: the plugin sends nothing when an issue resolves.
/// </summary>
internal static class LegacyWebhook
{
    public static SourceResult Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return new SourceResult.Invalid(["The payload must be a JSON object"]);
        if (SourceFields.Text(root, "id") is not { } issueId) return new SourceResult.Invalid(["'id' (the Sentry issue id) is missing"]);

        var evt = SourceFields.Object(root, "event");
        string? FromEvent(string name) => evt is { } e ? SourceFields.Text(e, name) : null;
        var rules = SourceFields.Array(root, "triggering_rules") is { } list
            ? string.Join(", ", list.EnumerateArray().Select(SourceFields.ScalarText).OfType<string>())
            : null;
        var culprit = SourceFields.Text(root, "culprit") ?? FromEvent("culprit");

        var alert = new InboundAlert(
            AlertAction.Trigger,
            issueId,
            SentryEvent.Summary(issueId, FromEvent("title"), SourceFields.Text(root, "message"), FromEvent("message"), culprit),
            SentryEvent.Level(SourceFields.Text(root, "level") ?? FromEvent("level")),
            SourceFields.Text(root, "project_slug") ?? SourceFields.Text(root, "project") ?? FromEvent("platform"),
            SentrySource.Client,
            Component: culprit,
            DetailsJson: SentryEvent.Details(evt, ("issue_id", issueId), ("project_name", SourceFields.Text(root, "project_name")),
                ("triggering_rules", string.IsNullOrEmpty(rules) ? null : rules)),
            Labels: SentryEvent.Tags(evt),
            Links: SentryEvent.Links(SourceFields.Text(root, "url"), null));
        return new SourceResult.Alerts([alert]);
    }
}
