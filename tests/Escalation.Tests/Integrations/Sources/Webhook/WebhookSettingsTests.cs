using System.Text.Json;
using Escalation.Api.Integrations.Sources.Webhook;
using Escalation.Storage.Integrations;

namespace Escalation.Tests.Integrations.Sources.Webhook;

public class WebhookSettingsTests
{
    private readonly WebhookSource source = new();

    private IReadOnlyList<(string Field, string Error)> Validate(string? json) =>
        source.ValidateSettings(json is null ? null : JsonDocument.Parse(json).RootElement);

    [Theory]
    [InlineData("""{"preset": "uptimerobot"}""")]
    [InlineData("""{"summary": "{{/title}}"}""")]
    [InlineData("""{"summary": "plain text", "action": "trigger"}""")]
    [InlineData("""{"summary": "{{/t}}", "dedup_key": "{{/id}}", "action": {"path": "/state", "map": {"up": "resolve", "down": "trigger"}, "default": "trigger"}, "details": null}""")]
    public void Valid_settings_have_no_errors(string json) => Assert.Empty(Validate(json));

    [Theory]
    [InlineData(null, "settings")]
    [InlineData("""[]""", "settings")]
    [InlineData("""{}""", "settings.summary")]
    [InlineData("""{"summary": 5}""", "settings.summary")]
    [InlineData("""{"summary": "{{/title"}""", "settings.summary")]
    [InlineData("""{"summary": "{{title}}"}""", "settings.summary")]
    [InlineData("""{"summary": "{{/a~2}}"}""", "settings.summary")]
    [InlineData("""{"preset": "pingdom"}""", "settings.preset")]
    [InlineData("""{"summary": "x", "sumary": "typo"}""", "settings.sumary")]
    [InlineData("""{"summary": "x", "action": "page"}""", "settings.action")]
    [InlineData("""{"summary": "x", "dedup_key": "k", "action": {"path": "state"}}""", "settings.action.path")]
    [InlineData("""{"summary": "x", "dedup_key": "k", "action": {"map": {"1": "trigger"}}}""", "settings.action.path")]
    [InlineData("""{"summary": "x", "dedup_key": "k", "action": {"path": "/s", "map": {"1": "explode"}}}""", "settings.action.map.1")]
    [InlineData("""{"summary": "x", "dedup_key": "k", "action": {"path": "/s", "default": "later"}}""", "settings.action.default")]
    [InlineData("""{"summary": "x", "dedup_key": "k", "action": {"path": "/s", "when": 1}}""", "settings.action.when")]
    [InlineData("""{"summary": "x", "severity": "p1"}""", "settings.severity")]
    [InlineData("""{"summary": "x", "action": "resolve"}""", "settings.dedup_key")]
    [InlineData("""{"summary": "x", "action": {"path": "/s"}}""", "settings.dedup_key")]
    [InlineData("""{"summary": "x", "links": {"href": "y"}}""", "settings.links")]
    [InlineData("""{"summary": "x", "links": [{"text": "y"}]}""", "settings.links[0].href")]
    [InlineData("""{"summary": "x", "links": [{"href": "{{/a}}", "text": "{{"}]}""", "settings.links[0].text")]
    [InlineData("""{"summary": "x", "labels": {"team": 3}}""", "settings.labels.team")]
    [InlineData("""{"summary": "x", "details": "check"}""", "settings.details")]
    public void Each_error_names_its_field(string? json, string field)
    {
        var error = Assert.Single(Validate(json));
        Assert.Equal(field, error.Field);
        Assert.StartsWith($"'{field}'", error.Error);
    }

    [Fact]
    public void An_integration_with_invalid_settings_answers_invalid_rather_than_guessing()
    {
        var result = source.Read(SourceRequests.For(SourceRequests.Integration("webhook", settingsJson: "{}"), """{"a": 1}"""));
        Assert.Contains("settings.summary", Assert.Single(SourceRequests.Is<Escalation.Api.Integrations.SourceResult.Invalid>(result).Errors));
    }
}
