using Escalation.Silo.Channels.Slack;

namespace Escalation.Tests.Channels.Slack;

public class SlackTemplatesTests
{
    [Fact]
    public void Render_fills_known_placeholders_and_leaves_the_rest() =>
        Assert.Equal(
            "P1: {nope} down {title",
            SlackTemplates.Render("{priority}: {nope} {status} {title", new Dictionary<string, string> { ["priority"] = "P1", ["status"] = "down" }));

    [Fact]
    public void Render_does_not_expand_placeholders_inside_values() =>
        Assert.Equal(
            "{priority} / P1",
            SlackTemplates.Render("{title} / {priority}", new Dictionary<string, string> { ["title"] = "{priority}", ["priority"] = "P1" }));

    [Theory]
    [InlineData("en")]
    [InlineData("ja")]
    public void The_defaults_use_every_placeholder(string locale)
    {
        foreach (var name in new[] { "priority", "kind", "title", "entry_point", "impact", "signals", "first_action", "incident_url", "service" })
            Assert.Contains("{" + name + "}", SlackTemplates.DefaultDeclaration(locale));
        foreach (var name in new[] { "priority", "title", "what_was_done", "how_confirmed", "follow_ups", "resolved_by", "incident_url" })
            Assert.Contains("{" + name + "}", SlackTemplates.DefaultRecovery(locale));
    }

    [Fact]
    public void An_unknown_locale_gets_the_english_defaults()
    {
        Assert.Equal(SlackTemplates.DefaultDeclaration("en"), SlackTemplates.DefaultDeclaration("de"));
        Assert.NotEqual(SlackTemplates.DefaultDeclaration("en"), SlackTemplates.DefaultDeclaration("ja"));
        Assert.Equal(SlackTemplates.DefaultRecovery("en"), SlackTemplates.DefaultRecovery("pt-BR"));
    }

    [Theory]
    [InlineData(SlackActions.Acknowledge, "acknowledge")]
    [InlineData(SlackActions.Resolve, "resolve")]
    [InlineData("incident.snooze", null)]
    [InlineData("", null)]
    public void Button_action_ids_map_to_incident_actions(string actionId, string? action) =>
        Assert.Equal(action, SlackActions.InteractionAction(actionId));
}
