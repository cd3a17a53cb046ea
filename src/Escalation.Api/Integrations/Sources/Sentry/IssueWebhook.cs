using System.Text.Json;
using Escalation.Alerts;

namespace Escalation.Api.Integrations.Sources.Sentry;

/// <summary>
/// <c>Sentry-Hook-Resource: issue</c> (docs.sentry.io/organization/integrations/integration-platform/webhooks/issues/):
/// <c>resolved</c> resolves the alert of the same issue id. Every other action is ignored: <c>created</c> fires for
/// every new issue however minor, and an issue alert rule ("a new issue is created", with this integration as its
/// action) is how Sentry users choose which of them page; <c>assigned</c>, <c>archived</c>/<c>ignored</c> and
/// <c>unresolved</c> are triage in Sentry, not alerts.
/// </summary>
internal static class IssueWebhook
{
    public static SourceResult Read(JsonElement root)
    {
        if (SourceFields.Text(root, "action") is not { } action) return SourceResult.Invalid.Of("'action' is missing");
        if (action != "resolved") return new SourceResult.Ignored($"Sentry issue action '{action}' neither raises nor resolves an alert");
        if (SourceFields.Object(root, "data") is not { } data) return SourceResult.Invalid.Of("'data' is missing or not an object");
        if (SourceFields.Object(data, "issue") is not { } issue) return SourceResult.Invalid.Of("'data.issue' is missing or not an object");
        if (SourceFields.Text(issue, "id") is not { } issueId) return SourceResult.Invalid.Of("'data.issue.id' is missing");

        var resolve = new InboundAlert(AlertAction.Resolve, issueId, SentryEvent.Summary(issueId, SourceFields.Text(issue, "title")),
            SentryEvent.Level(SourceFields.Text(issue, "level")), null, SentrySource.Client);
        return new SourceResult.Alerts([resolve]);
    }
}
