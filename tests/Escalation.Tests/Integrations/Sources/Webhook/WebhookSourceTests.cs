using Escalation.Alerts;
using Escalation.Api.Integrations;
using Escalation.Api.Integrations.Sources.Webhook;
using Escalation.Incidents;
using Escalation.Storage.Integrations;
using static Escalation.Tests.Integrations.Sources.SourceRequests;

namespace Escalation.Tests.Integrations.Sources.Webhook;

public class WebhookSourceTests
{
    /// <summary>
    /// UptimeRobot's webhook alert contact posting README's JSON body, its *variables* filled in as UptimeRobot
    /// documents them (uptimerobot.com/help, "Webhook integration": alertType 1 down, 2 up, 3 SSL expiry).
    /// </summary>
    internal static string UptimeRobot(int alertType, string friendly, string details) => $$"""
        {"monitorID": "793815678", "monitorURL": "https://api.example.com/health", "monitorFriendlyName": "API health",
         "alertType": "{{alertType}}", "alertTypeFriendlyName": "{{friendly}}", "alertDetails": "{{details}}",
         "alertDuration": "183", "alertDateTime": "1764666000", "sslExpiryDate": "", "sslExpiryDaysLeft": ""}
        """;

    private readonly WebhookSource source = new();

    private SourceResult Read(string settings, string body) => source.Read(For(Integration("webhook", settingsJson: settings), body));

    [Fact]
    public void The_uptimerobot_preset_triggers_on_down_and_resolves_on_up_with_one_key()
    {
        var down = Read("""{"preset": "uptimerobot"}""", UptimeRobot(1, "Down", "Connection Timeout")).Single();
        var up = Read("""{"preset": "uptimerobot"}""", UptimeRobot(2, "Up", "")).Single();

        Assert.Equal(AlertAction.Trigger, down.Action);
        Assert.Equal("API health is Down: Connection Timeout", down.Summary);
        Assert.Equal("uptimerobot-793815678", down.DedupKey);
        Assert.Equal(Severity.Critical, down.Severity);
        Assert.Equal("https://api.example.com/health", down.Source);
        Assert.Equal("https://dashboard.uptimerobot.com/monitors/793815678", Assert.Single(down.LinksOrEmpty).Href);
        Assert.Equal("183", down.LabelsOrEmpty["alert_duration_seconds"]);
        Assert.Contains("\"monitorFriendlyName\"", down.DetailsJson);
        Assert.Equal(AlertAction.Resolve, up.Action);
        Assert.Equal(down.DedupKey, up.DedupKey);
    }

    [Fact]
    public void An_ssl_expiry_warning_triggers_as_a_warning() =>
        Assert.Equal(Severity.Warning, Read("""{"preset": "uptimerobot"}""", UptimeRobot(3, "SSL Expiry", "expires in 7 days")).Single().Severity);

    [Fact]
    public void Settings_beside_a_preset_replace_its_own() =>
        Assert.Equal("API health", Read("""{"preset": "uptimerobot", "summary": "{{/monitorFriendlyName}}"}""", UptimeRobot(1, "Down", "x")).Single().Summary);

    [Fact]
    public void A_payload_lacking_a_mapped_required_value_is_invalid_naming_the_path()
    {
        var errors = Read("""{"preset": "uptimerobot"}""", """{"monitorID": "1", "alertType": "1"}""").Is<SourceResult.Invalid>().Errors;
        Assert.Contains("'/monitorFriendlyName' is missing (mapped to settings.summary)", errors);
    }

    [Fact]
    public void A_missing_dedup_key_value_and_a_missing_action_value_are_invalid()
    {
        var errors = Read("""{"preset": "uptimerobot"}""", """{"monitorFriendlyName": "x"}""").Is<SourceResult.Invalid>().Errors;
        Assert.Contains("'/monitorID' is missing (mapped to settings.dedup_key)", errors);
        Assert.Contains("'/alertType' is missing (mapped to settings.action)", errors);
    }

    [Fact]
    public void An_action_value_the_map_does_not_know_is_invalid() =>
        Assert.Contains("'/alertType' is '9'",
            Assert.Single(Read("""{"preset": "uptimerobot"}""", UptimeRobot(9, "?", "")).Is<SourceResult.Invalid>().Errors));

    [Fact]
    public void A_resolve_needs_only_its_dedup_key_not_the_summary()
    {
        var resolve = Read("""{"preset": "uptimerobot"}""", """{"monitorID": 793815678, "alertType": 2}""").Single();
        Assert.Equal(AlertAction.Resolve, resolve.Action);
        Assert.Equal("uptimerobot-793815678", resolve.DedupKey); // a number reads as its JSON text
    }

    [Fact]
    public void A_plain_mapping_reads_nested_pointers_escaped_names_and_array_items()
    {
        const string settings = """
            {"summary": "{{/check/name}} failed in {{/regions/0}}", "dedup_key": "{{/check/id}}",
             "severity": {"path": "/level", "map": {"P1": "critical"}, "default": "warning"},
             "links": [{"href": "{{/links/a~1b}}", "text": "Runbook"}, {"href": "{{/nowhere}}"}],
             "labels": {"team": "{{/tags~0team}}", "absent": "{{/nope}}"}, "details": "/check"}
            """;
        var alert = Read(settings, """
            {"check": {"id": "c-1", "name": "Ünïcødé ✓"}, "regions": ["tokyo", "osaka"], "level": "p1",
             "links": {"a/b": "https://runbooks.example.com/c-1"}, "tags~team": "sre"}
            """).Single();

        Assert.Equal("Ünïcødé ✓ failed in tokyo", alert.Summary);
        Assert.Equal("c-1", alert.DedupKey);
        Assert.Equal(Severity.Critical, alert.Severity); // map keys match case-insensitively
        Assert.Equal(AlertAction.Trigger, alert.Action);
        Assert.Equal("https://runbooks.example.com/c-1", Assert.Single(alert.LinksOrEmpty).Href);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "sre" }, alert.LabelsOrEmpty);
        Assert.Equal("""{"id": "c-1", "name": "Ünïcødé ✓"}""", alert.DetailsJson);
    }

    [Fact]
    public void An_unmapped_severity_falls_back_to_the_default_then_to_none()
    {
        Assert.Equal(Severity.Warning, Read("""{"summary": "x", "severity": {"path": "/s", "default": "warning"}}""", """{"s": "odd"}""").Single().Severity);
        Assert.Equal(Severity.Error, Read("""{"summary": "x", "severity": {"path": "/s"}}""", """{"s": "ERROR"}""").Single().Severity);
        Assert.Null(Read("""{"summary": "x", "severity": {"path": "/s"}}""", """{"s": "odd"}""").Single().Severity);
    }

    [Fact]
    public void A_long_summary_is_cut_and_a_long_dedup_key_refused()
    {
        var body = $$"""{"t": "{{new string('a', 2000)}}"}""";
        Assert.Equal(1024, Read("""{"summary": "{{/t}}"}""", body).Single().Summary.Length);
        Assert.Contains("at most 255", Assert.Single(Read("""{"summary": "x", "dedup_key": "{{/t}}"}""", body).Is<SourceResult.Invalid>().Errors));
    }

    [Fact]
    public void An_empty_summary_is_invalid() =>
        Assert.Contains("empty summary", Assert.Single(Read("""{"summary": "{{/t}}"}""", """{"t": "  "}""").Is<SourceResult.Invalid>().Errors));
}
