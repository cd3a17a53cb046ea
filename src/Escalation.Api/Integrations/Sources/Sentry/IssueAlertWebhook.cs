using System.Text.Json;
using Escalation.Alerts;

namespace Escalation.Api.Integrations.Sources.Sentry;

/// <summary>
/// <c>Sentry-Hook-Resource: event_alert</c>: an issue alert rule whose action is this integration fired
/// (docs.sentry.io/organization/integrations/integration-platform/webhooks/issue-alerts/). It triggers, keyed by the
/// issue id, so that the issue's later <c>resolved</c> webhook meets it.
/// </summary>
internal static class IssueAlertWebhook
{
    public static SourceResult Read(JsonElement root)
    {
        if (SourceFields.Object(root, "data") is not { } data) return SourceResult.Invalid.Of("'data' is missing or not an object");
        if (SourceFields.Object(data, "event") is not { } evt) return SourceResult.Invalid.Of("'data.event' is missing or not an object");
        if (SourceFields.Text(evt, "issue_id") is not { } issueId) return SourceResult.Invalid.Of("'data.event.issue_id' is missing");

        var rule = SourceFields.Text(data, "triggered_rule");
        var alert = new InboundAlert(
            AlertAction.Trigger,
            issueId,
            SentryEvent.Summary(issueId, SourceFields.Text(evt, "title"), SourceFields.Text(evt, "message"), SourceFields.Text(evt, "culprit")),
            SentryEvent.Level(SourceFields.Text(evt, "level")),
            SentryEvent.ProjectSlug(evt) ?? SourceFields.Text(evt, "platform"),
            SentrySource.Client,
            Component: SourceFields.Text(evt, "culprit"),
            DetailsJson: SentryEvent.Details(evt, ("issue_id", issueId), ("triggered_rule", rule)),
            Labels: SentryEvent.Tags(evt),
            Links: SentryEvent.Links(null, SourceFields.Text(evt, "web_url")));
        return new SourceResult.Alerts([alert]);
    }
}
