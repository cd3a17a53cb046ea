namespace Escalation.Tests.Integrations.Sources.Sentry;

/// <summary>Sentry's payloads, each saying where it was copied from.</summary>
public static class SentryFixtures
{
    /// <summary>
    /// Copied from docs.sentry.io/organization/integrations/integration-platform/webhooks/issue-alerts/ (the Payload
    /// section, getsentry/sentry-docs docs/organization/integrations/integration-platform/webhooks/issue-alerts.mdx),
    /// with the exception's stack frames, request and sdk left out for length.
    /// </summary>
    public const string IssueAlert = """
        {
          "action": "triggered",
          "actor": {"id": "sentry", "name": "Sentry", "type": "application"},
          "data": {
            "event": {
              "_ref": 1,
              "_ref_version": 2,
              "contexts": {"browser": {"name": "Chrome", "type": "browser", "version": "75.0.3770"}, "os": {"name": "Mac OS X", "type": "os", "version": "10.14.0"}},
              "culprit": "?(<anonymous>)",
              "datetime": "2019-08-19T21:06:17.677000Z",
              "dist": null,
              "event_id": "e4874d664c3540c1a32eab185f12c5ab",
              "exception": {"values": [{"type": "ReferenceError", "value": "heck is not defined"}]},
              "fingerprint": ["{{ default }}"],
              "hashes": ["29f7ffc4903a8a990408b80a3b4c95a2"],
              "issue_url": "https://sentry.io/api/0/issues/1117540176/",
              "issue_id": "1117540176",
              "key_id": "667532",
              "level": "error",
              "location": "<anonymous>",
              "logger": "",
              "message": "",
              "metadata": {"filename": "<anonymous>", "type": "ReferenceError", "value": "heck is not defined"},
              "platform": "javascript",
              "project": 1,
              "received": 1566248777.677,
              "release": null,
              "tags": [
                ["browser", "Chrome 75.0.3770"],
                ["browser.name", "Chrome"],
                ["handled", "no"],
                ["level", "error"],
                ["mechanism", "onerror"],
                ["os", "Mac OS X 10.14.0"],
                ["os.name", "Mac OS X"],
                ["user", "ip:162.217.75.90"],
                ["url", "https://null.jsbin.com/runner"]
              ],
              "time_spent": null,
              "timestamp": 1566248777.677,
              "title": "ReferenceError: heck is not defined",
              "type": "error",
              "url": "https://sentry.io/api/0/projects/test-org/front-end/events/e4874d664c3540c1a32eab185f12c5ab/",
              "user": {"ip_address": "162.218.85.90"},
              "version": "7",
              "web_url": "https://sentry.io/organizations/test-org/issues/1117540176/events/e4874d664c3540c1a32eab185f12c5ab/"
            },
            "triggered_rule": "Very Important Alert Rule!",
            "issue_alert": {"title": "Very Important Alert Rule!", "settings": [{"name": "channel", "value": "#general"}]}
          },
          "installation": {"uuid": "a8e5d37a-696c-4c54-adb5-b3f28d64c7de"}
        }
        """;

    /// <summary>
    /// docs.sentry.io/organization/integrations/integration-platform/webhooks/issues/ (its Payload, an issue
    /// "created"), as Sentry sends it for the same issue id as <see cref="IssueAlert"/> when resolved: action,
    /// status and statusDetails changed, and the web_url the page's attribute list names.
    /// </summary>
    public const string IssueResolved = """
        {
          "action": "resolved",
          "actor": {"id": 1, "name": "Meredith Heller", "type": "user"},
          "data": {
            "issue": {
              "annotations": [],
              "assignedTo": null,
              "count": "1",
              "culprit": "?(<anonymous>)",
              "firstSeen": "2019-08-19T20:58:37.391000Z",
              "hasSeen": false,
              "id": "1117540176",
              "isBookmarked": false,
              "lastSeen": "2019-08-19T20:58:37.391000Z",
              "level": "error",
              "logger": null,
              "metadata": {"filename": "<anonymous>", "type": "ReferenceError", "value": "heck is not defined"},
              "numComments": 0,
              "permalink": null,
              "platform": "javascript",
              "project": {"id": "1", "name": "front-end", "platform": "", "slug": "front-end"},
              "shortId": "FRONT-END-9",
              "status": "resolved",
              "statusDetails": {"inNextRelease": true},
              "substatus": null,
              "title": "ReferenceError: heck is not defined",
              "type": "error",
              "userCount": 1,
              "web_url": "https://sentry.io/organizations/test-org/issues/1117540176/"
            }
          },
          "installation": {"uuid": "a8e5d37a-696c-4c54-adb5-b3f28d64c7de"}
        }
        """;

    /// <summary>
    /// The legacy WebHooks plugin's payload as build_legacy_webhook_payload makes it (getsentry/sentry
    /// src/sentry/sentry_apps/services/legacy_webhook/, formerly sentry-plugins' webhooks plugin get_group_data):
    /// the issue's fields, then event.data with tags as [key, value] pairs; the event's values are the docs' event above.
    /// </summary>
    public const string LegacyPlugin = """
        {
          "id": "1117540176",
          "project": "front-end",
          "project_name": "Front End",
          "project_slug": "front-end",
          "logger": null,
          "level": "fatal",
          "culprit": "?(<anonymous>)",
          "message": "heck is not defined",
          "url": "https://test-org.sentry.io/issues/1117540176/?referrer=webhooks_plugin",
          "triggering_rules": ["Page on fatal"],
          "event": {
            "event_id": "e4874d664c3540c1a32eab185f12c5ab",
            "id": "e4874d664c3540c1a32eab185f12c5ab",
            "level": "fatal",
            "platform": "javascript",
            "title": "ReferenceError: heck is not defined",
            "culprit": "?(<anonymous>)",
            "environment": "production",
            "tags": [["browser", "Chrome 75.0.3770"], ["level", "fatal"], ["environment", "production"]]
          }
        }
        """;

    /// <summary>docs.sentry.io/organization/integrations/integration-platform/webhooks/installation/ (its Payload, trimmed).</summary>
    public const string Installation = """
        {"action": "created", "actor": {"id": 1, "name": "Meredith Heller", "type": "user"},
         "data": {"installation": {"app": {"uuid": "2b6a1f5e-6a4a-4d59-a4f6-6ae5cd9c9ea6", "slug": "webhooks-galore"},
                  "organization": {"slug": "test-org"}, "uuid": "a8e5d37a-696c-4c54-adb5-b3f28d64c7de"}},
         "installation": {"uuid": "a8e5d37a-696c-4c54-adb5-b3f28d64c7de"}}
        """;
}
