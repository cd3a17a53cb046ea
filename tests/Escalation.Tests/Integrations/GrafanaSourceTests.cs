using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Escalation.Alerts;
using Escalation.Api.Integrations;
using Escalation.Api.Integrations.Sources.Grafana;

namespace Escalation.Tests.Integrations;

public sealed class GrafanaSourceTests
{
    private const string Secret = "grafana-hmac-secret";
    private static readonly GrafanaSource Source = new();

    private static SourceResult Read(string json, string? secret = null, IDictionary<string, string>? headers = null, string? settings = null) =>
        Source.Read(SourceRequests.For("grafana", json, secret, settings is null ? null : JsonSerializer.Deserialize<JsonElement>(settings), headers));

    private static string Sign(string json, string? timestamp = null) => GrafanaSignature.Sign(Secret, Encoding.UTF8.GetBytes(json), timestamp);

    [Fact]
    public void Each_alert_is_keyed_by_its_fingerprint_with_the_dashboard_panel_and_silence_links()
    {
        var alerts = Assert.IsType<SourceResult.Alerts>(Read(GrafanaPayloads.TwoFiring)).Items;

        Assert.Equal(["c6eadffa33fcdf37", "bc97ff14869b13e3"], alerts.Select(a => a.DedupKey));
        var first = alerts[0];
        Assert.Equal("grafana", first.Client);
        Assert.Equal("This alert was triggered for zone us-1", first.Summary);
        Assert.Null(first.Severity);
        Assert.Equal("blue", first.Labels!["team"]);
        Assert.Equal(
            ["https://play.grafana.org/alerting/1afz29v7z/edit", "https://myrunbook.com/runbook/1234", "https://play.grafana.org/d/000000012",
             "https://play.grafana.org/d/000000012?viewPanel=2", "https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT2%2Cteam%3Dblue%2Czone%3Dus-1",
             "https://play.grafana.org/"],
            first.LinksOrEmpty.Select(l => l.Href));
        Assert.Equal(["Source", "Runbook", "Dashboard", "Panel", "Silence", "Grafana"], first.LinksOrEmpty.Select(l => l.Text));
        Assert.Equal(44.23943737541908, JsonNode.Parse(first.DetailsJson!)!["values"]!["B"]!.GetValue<double>());
        // Grafana sends "" for a rule tied to no panel: no link.
        Assert.DoesNotContain(alerts[1].LinksOrEmpty, l => l.Text is "Dashboard" or "Panel");
    }

    [Fact]
    public void A_resolved_alert_resolves()
    {
        var alert = Assert.Single(Assert.IsType<SourceResult.Alerts>(Read(GrafanaPayloads.Resolved)).Items);
        Assert.Equal((AlertAction.Resolve, "c6eadffa33fcdf37"), (alert.Action, alert.DedupKey));
    }

    [Fact]
    public void Without_a_signing_secret_no_signature_is_asked_for()
    {
        Assert.IsType<SourceResult.Alerts>(Read(GrafanaPayloads.TwoFiring));
    }

    [Fact]
    public void With_a_signing_secret_a_signed_body_is_read()
    {
        var headers = new Dictionary<string, string> { ["X-Grafana-Alerting-Signature"] = Sign(GrafanaPayloads.TwoFiring) };
        Assert.IsType<SourceResult.Alerts>(Read(GrafanaPayloads.TwoFiring, Secret, headers));
    }

    [Fact]
    public void The_header_grafanas_signer_falls_back_to_is_taken_too()
    {
        var headers = new Dictionary<string, string> { ["X-Grafana-Alert-Signature"] = Sign(GrafanaPayloads.TwoFiring) };
        Assert.IsType<SourceResult.Alerts>(Read(GrafanaPayloads.TwoFiring, Secret, headers));
    }

    [Fact]
    public void A_missing_signature_is_unauthorized()
    {
        Assert.IsType<SourceResult.Unauthorized>(Read(GrafanaPayloads.TwoFiring, Secret));
    }

    [Theory]
    [InlineData("other-secret")]
    [InlineData("body")]
    [InlineData("not-hex")]
    public void A_forged_signature_is_unauthorized(string forgery)
    {
        var signature = forgery switch
        {
            "other-secret" => GrafanaSignature.Sign("other-secret", Encoding.UTF8.GetBytes(GrafanaPayloads.TwoFiring)),
            "body" => Sign(GrafanaPayloads.Resolved),
            _ => "zz" + Sign(GrafanaPayloads.TwoFiring)[2..],
        };
        var headers = new Dictionary<string, string> { ["X-Grafana-Alerting-Signature"] = signature };
        Assert.IsType<SourceResult.Unauthorized>(Read(GrafanaPayloads.TwoFiring, Secret, headers));
    }

    [Fact]
    public void With_a_timestamp_header_the_timestamp_is_signed_and_a_stale_one_refused()
    {
        const string settings = """{"timestamp_header":"X-Grafana-Alerting-Timestamp"}""";
        var now = SourceRequests.Now.ToUnixTimeSeconds().ToString();
        var fresh = new Dictionary<string, string>
        {
            ["X-Grafana-Alerting-Timestamp"] = now, ["X-Grafana-Alerting-Signature"] = Sign(GrafanaPayloads.TwoFiring, now),
        };
        Assert.IsType<SourceResult.Alerts>(Read(GrafanaPayloads.TwoFiring, Secret, fresh, settings));

        var old = (SourceRequests.Now.ToUnixTimeSeconds() - 301).ToString();
        var stale = new Dictionary<string, string>
        {
            ["X-Grafana-Alerting-Timestamp"] = old, ["X-Grafana-Alerting-Signature"] = Sign(GrafanaPayloads.TwoFiring, old),
        };
        Assert.Contains("stale", Assert.IsType<SourceResult.Unauthorized>(Read(GrafanaPayloads.TwoFiring, Secret, stale, settings)).Reason);

        // The body alone signed, when the timestamp is part of the scheme: forged.
        var bodyOnly = new Dictionary<string, string>
        {
            ["X-Grafana-Alerting-Timestamp"] = now, ["X-Grafana-Alerting-Signature"] = Sign(GrafanaPayloads.TwoFiring),
        };
        Assert.IsType<SourceResult.Unauthorized>(Read(GrafanaPayloads.TwoFiring, Secret, bodyOnly, settings));
        var noTimestamp = new Dictionary<string, string> { ["X-Grafana-Alerting-Signature"] = Sign(GrafanaPayloads.TwoFiring, now) };
        Assert.IsType<SourceResult.Unauthorized>(Read(GrafanaPayloads.TwoFiring, Secret, noTimestamp, settings));
    }

    [Fact]
    public void The_signature_is_checked_before_the_payload_so_a_forger_learns_nothing_of_the_format()
    {
        Assert.IsType<SourceResult.Unauthorized>(Read("""{"nothing":"here"}""", Secret));
    }

    [Theory]
    [InlineData("""{"alerts":[{"status":"firing","fingerprint":"f","values":[1]}]}""", "'alerts[0].values' must be an object")]
    [InlineData("""{"alerts":[{"status":"firing","fingerprint":"f","dashboardURL":1}]}""", "'alerts[0].dashboardURL' must be a string")]
    [InlineData("""{"alerts":[{"status":"firing"}]}""", "'alerts[0].fingerprint' is missing")]
    [InlineData("""{"evalMatches":[],"ruleName":"legacy alerting","state":"alerting"}""", "'alerts' is missing")]
    public void Bad_payloads_are_refused_naming_the_field(string json, string error)
    {
        Assert.Contains(error, Assert.IsType<SourceResult.Invalid>(Read(json)).Errors);
    }

    [Theory]
    [InlineData("""{"timestamp_header":"X-Grafana-Alerting-Timestamp","signature_header":"X-Sig"}""", null)]
    [InlineData("""{"timestamp_header":"bad header"}""", "settings.timestamp_header")]
    [InlineData("""{"header":"X"}""", "settings.header")]
    [InlineData("""[]""", "settings")]
    public void Settings_name_the_hmac_headers(string settings, string? field)
    {
        var errors = Source.ValidateSettings(JsonSerializer.Deserialize<JsonElement>(settings));
        if (field is null) Assert.Empty(errors);
        else Assert.Equal(field, Assert.Single(errors).Field);
    }
}
