using System.Text.Json;
using System.Text.Json.Nodes;
using Escalation.Alerts;
using Escalation.Api.Integrations;
using Escalation.Api.Integrations.Sources.Alertmanager;
using Escalation.Incidents;

namespace Escalation.Tests.Integrations;

public sealed class AlertmanagerSourceTests
{
    private static SourceResult Read(string json) => new AlertmanagerSource().Read(SourceRequests.For("alertmanager", json));

    private static IReadOnlyList<InboundAlert> Alerts(string json) => Assert.IsType<SourceResult.Alerts>(Read(json)).Items;

    private static IReadOnlyList<string> Errors(string json) => Assert.IsType<SourceResult.Invalid>(Read(json)).Errors;

    [Fact]
    public void Each_alert_of_a_group_is_its_own_alert_keyed_by_its_fingerprint()
    {
        var alerts = Alerts(AlertmanagerPayloads.TwoFiring);

        Assert.Equal(["1a30ba71cca2921f", "2b41cb82ddb3a32f"], alerts.Select(a => a.DedupKey));
        Assert.All(alerts, a => Assert.Equal(AlertAction.Trigger, a.Action));
        Assert.All(alerts, a => Assert.Equal("alertmanager", a.Client));
        var first = alerts[0];
        Assert.Equal("BlackBox Probe Failure: https://server.example.org", first.Summary);
        Assert.Equal(Severity.Critical, first.Severity);
        Assert.Equal(Severity.Warning, alerts[1].Severity);
        Assert.Equal("https://server.example.org", first.Source);
        // No summary annotation: the description stands in.
        Assert.Equal("Instance https://api.example.org has been down for over 5m. Job: http_checks", alerts[1].Summary);
    }

    [Fact]
    public void Labels_are_the_groups_common_labels_and_the_alerts_own_and_links_name_where_to_look()
    {
        var first = Alerts(AlertmanagerPayloads.TwoFiring)[0];

        Assert.Equal("master", first.Labels!["monitor"]);
        Assert.Equal("https://server.example.org", first.Labels["instance"]);
        Assert.Equal(
            ["http://prometheus.example.org:9090/graph?g0.expr=probe_success+%3D%3D+0&g0.tab=1", "https://runbooks.example.org/probe-failure", "http://prometheus.example.org:9093"],
            first.LinksOrEmpty.Select(l => l.Href));
        var details = JsonNode.Parse(first.DetailsJson!)!;
        Assert.Equal("critical", details["labels"]!["severity"]!.GetValue<string>());
        Assert.Equal("https://runbooks.example.org/probe-failure", details["annotations"]!["runbook_url"]!.GetValue<string>());
    }

    [Fact]
    public void A_resolved_alert_resolves_its_fingerprint_while_the_firing_one_triggers()
    {
        var alerts = Alerts(AlertmanagerPayloads.OneResolved);

        Assert.Equal((AlertAction.Resolve, "1a30ba71cca2921f"), (alerts[0].Action, alerts[0].DedupKey));
        Assert.Equal((AlertAction.Trigger, "2b41cb82ddb3a32f"), (alerts[1].Action, alerts[1].DedupKey));
        // No annotation at all: the alert's name.
        Assert.Equal("ProbeFailure", alerts[1].Summary);
    }

    [Fact]
    public void A_truncated_group_gives_the_alerts_it_holds_and_odd_text_comes_through_as_sent()
    {
        var alert = Assert.Single(Alerts(AlertmanagerPayloads.TruncatedOddEncodings));

        Assert.Equal("some description <b>bold</b> 🔥", alert.Summary);
        Assert.Equal("決済", alert.Labels!["チーム"]);
        // A severity outside the four says nothing: the rules, else "when in doubt P1", decide.
        Assert.Null(alert.Severity);
        Assert.Equal("http://example.com:9090/graph?g0.expr=go_memstats_alloc_bytes+%3E+0&g0.tab=1", alert.LinksOrEmpty[0].Href);
    }

    [Theory]
    [InlineData("""{"severity":"CRITICAL"}""", Severity.Critical)]
    [InlineData("""{"severity":"error"}""", Severity.Error)]
    [InlineData("""{"severity":"info"}""", Severity.Info)]
    [InlineData("""{}""", null)]
    public void Severity_comes_from_the_severity_label(string labels, Severity? expected)
    {
        var json = $$"""{"version":"4","alerts":[{"status":"firing","fingerprint":"f1","labels":{{labels}}}]}""";
        Assert.Equal(expected, Assert.Single(Alerts(json)).Severity);
    }

    [Fact]
    public void A_missing_fingerprint_is_refused_naming_the_alert_and_no_alert_is_made()
    {
        var json = AlertmanagerPayloads.TwoFiring.Replace("\"fingerprint\": \"2b41cb82ddb3a32f\"", "\"fingerprint\": \"\"");
        Assert.Equal(["'alerts[1].fingerprint' is missing"], Errors(json));
    }

    [Theory]
    [InlineData("""{"version":"4"}""", "'alerts' is missing")]
    [InlineData("""{"version":"4","alerts":{}}""", "'alerts' must be an array")]
    [InlineData("""{"alerts":[]}""", "'version' is missing")]
    [InlineData("""{"version":"3","alerts":[]}""", "'version' must be \"4\"")]
    [InlineData("""{"version":"4","alerts":[{"fingerprint":"f"}]}""", "'alerts[0].status' is missing")]
    [InlineData("""{"version":"4","alerts":[{"status":"pending","fingerprint":"f"}]}""", "'alerts[0].status' must be firing or resolved")]
    [InlineData("""{"version":"4","alerts":[{"status":"firing","fingerprint":7}]}""", "'alerts[0].fingerprint' must be a string")]
    [InlineData("""{"version":"4","alerts":[{"status":"firing","fingerprint":"f","labels":{"severity":1}}]}""", "'alerts[0].labels.severity' must be a string")]
    [InlineData("""{"version":"4","alerts":[{"status":"firing","fingerprint":"f","annotations":[]}]}""", "'alerts[0].annotations' must be an object of strings")]
    [InlineData("""{"version":"4","commonLabels":"x","alerts":[]}""", "'commonLabels' must be an object of strings")]
    [InlineData("""[]""", "The body must be a JSON object")]
    public void Bad_payloads_are_refused_naming_the_field(string json, string error)
    {
        Assert.Contains(Errors(json), e => e.StartsWith(error, StringComparison.Ordinal));
    }

    [Fact]
    public void A_fingerprint_too_long_for_a_dedup_key_is_refused()
    {
        var json = $$"""{"version":"4","alerts":[{"status":"firing","fingerprint":"{{new string('f', 256)}}"}]}""";
        Assert.Equal(["'alerts[0].fingerprint' must be at most 255 characters"], Errors(json));
    }

    [Fact]
    public void A_group_without_alerts_is_ignored()
    {
        Assert.IsType<SourceResult.Ignored>(Read("""{"version":"4","alerts":[]}"""));
    }

    [Fact]
    public void Links_that_are_not_http_are_left_out()
    {
        var json = """{"version":"4","externalURL":"javascript:alert(1)","alerts":[{"status":"firing","fingerprint":"f","generatorURL":"/relative","annotations":{"runbook_url":"https://ok.example/rb"}}]}""";
        Assert.Equal(["https://ok.example/rb"], Assert.Single(Alerts(json)).LinksOrEmpty.Select(l => l.Href));
    }

    [Fact]
    public void Alertmanager_takes_no_settings()
    {
        var source = new AlertmanagerSource();
        Assert.Empty(source.ValidateSettings(null));
        Assert.Empty(source.ValidateSettings(JsonSerializer.Deserialize<JsonElement>("{}")));
        Assert.Equal("settings", Assert.Single(source.ValidateSettings(JsonSerializer.Deserialize<JsonElement>("""{"x":1}"""))).Field);
    }
}
