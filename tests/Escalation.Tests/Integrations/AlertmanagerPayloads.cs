namespace Escalation.Tests.Integrations;

/// <summary>Alertmanager webhook payloads, each with where it came from.</summary>
public static class AlertmanagerPayloads
{
    /// <summary>
    /// Grouped, firing. The shape of https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
    /// ("version": "4"); the values as the docs.rs crate alertmanager-webhook-types 0.1.0 captured them
    /// (assets/sample-v4-payload.json), with a second alert added to the group. Go escapes '&amp;' as \u0026.
    /// </summary>
    public const string TwoFiring = """
        {
          "receiver": "escalation",
          "status": "firing",
          "alerts": [
            {
              "status": "firing",
              "labels": { "alertname": "ProbeFailure", "instance": "https://server.example.org", "job": "http_checks", "monitor": "master", "severity": "critical" },
              "annotations": {
                "description": "Instance https://server.example.org has been down for over 5m. Job: http_checks",
                "summary": "BlackBox Probe Failure: https://server.example.org",
                "runbook_url": "https://runbooks.example.org/probe-failure"
              },
              "startsAt": "2023-02-06T13:08:45.828Z",
              "endsAt": "0001-01-01T00:00:00Z",
              "generatorURL": "http://prometheus.example.org:9090/graph?g0.expr=probe_success+%3D%3D+0\u0026g0.tab=1",
              "fingerprint": "1a30ba71cca2921f"
            },
            {
              "status": "firing",
              "labels": { "alertname": "ProbeFailure", "instance": "https://api.example.org", "job": "http_checks", "monitor": "master", "severity": "warning" },
              "annotations": { "description": "Instance https://api.example.org has been down for over 5m. Job: http_checks" },
              "startsAt": "2023-02-06T13:09:45.828Z",
              "endsAt": "0001-01-01T00:00:00Z",
              "generatorURL": "http://prometheus.example.org:9090/graph?g0.expr=probe_success+%3D%3D+0\u0026g0.tab=1",
              "fingerprint": "2b41cb82ddb3a32f"
            }
          ],
          "groupLabels": { "alertname": "ProbeFailure" },
          "commonLabels": { "alertname": "ProbeFailure", "job": "http_checks", "monitor": "master" },
          "commonAnnotations": {},
          "externalURL": "http://prometheus.example.org:9093",
          "version": "4",
          "groupKey": "{}/{severity=\"critical\"}:{alertname=\"ProbeFailure\"}",
          "truncatedAlerts": 0
        }
        """;

    /// <summary>The same group once the first alert resolved: as Alertmanager sends it with send_resolved (status of the group stays firing).</summary>
    public const string OneResolved = """
        {
          "receiver": "escalation", "status": "firing", "version": "4", "groupKey": "{}:{alertname=\"ProbeFailure\"}", "truncatedAlerts": 0,
          "externalURL": "http://prometheus.example.org:9093",
          "groupLabels": { "alertname": "ProbeFailure" }, "commonLabels": { "alertname": "ProbeFailure" }, "commonAnnotations": {},
          "alerts": [
            {
              "status": "resolved",
              "labels": { "alertname": "ProbeFailure", "instance": "https://server.example.org", "severity": "critical" },
              "annotations": { "summary": "BlackBox Probe Failure: https://server.example.org" },
              "startsAt": "2023-02-06T13:08:45.828Z", "endsAt": "2023-02-06T13:20:45.828Z",
              "generatorURL": "http://prometheus.example.org:9090/graph", "fingerprint": "1a30ba71cca2921f"
            },
            {
              "status": "firing",
              "labels": { "alertname": "ProbeFailure", "instance": "https://api.example.org", "severity": "warning" },
              "annotations": {},
              "startsAt": "2023-02-06T13:09:45.828Z", "endsAt": "0001-01-01T00:00:00Z",
              "generatorURL": "http://prometheus.example.org:9090/graph", "fingerprint": "2b41cb82ddb3a32f"
            }
          ]
        }
        """;

    /// <summary>
    /// A group cut to max_alerts (webhook_config's max_alerts, Alertmanager 0.22+): truncatedAlerts says how many were
    /// left out. From https://gist.github.com/mobeigi/5a96f326bc06c7d6f283ecb7cb083f2b (no fingerprint there: added),
    /// with labels in Japanese and escapes as Go writes them, and a severity Alertmanager users often invent.
    /// </summary>
    public const string TruncatedOddEncodings = """
        {
          "receiver": "webhook", "status": "firing", "version": "4", "truncatedAlerts": 3,
          "alerts": [
            {
              "status": "firing",
              "labels": { "alertname": "Test", "dc": "eu-west-1", "instance": "localhost:9090", "job": "prometheus24", "チーム": "決済", "severity": "page" },
              "annotations": { "description": "some description \u003cb\u003ebold\u003c/b\u003e \ud83d\udd25" },
              "startsAt": "2018-08-03T09:52:26.739266876+02:00", "endsAt": "0001-01-01T00:00:00Z",
              "generatorURL": "http://example.com:9090/graph?g0.expr=go_memstats_alloc_bytes+%3E+0\u0026g0.tab=1",
              "fingerprint": "9b2b64b7f9ac6e4c"
            }
          ],
          "groupLabels": { "alertname": "Test", "job": "prometheus24" },
          "commonLabels": { "alertname": "Test", "dc": "eu-west-1", "instance": "localhost:9090", "job": "prometheus24" },
          "commonAnnotations": { "description": "some description" },
          "externalURL": "http://example.com:9093",
          "groupKey": "{}:{alertname=\"Test\", job=\"prometheus24\"}"
        }
        """;
}
