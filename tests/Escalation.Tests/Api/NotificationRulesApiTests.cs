namespace Escalation.Tests.Api;

public sealed class NotificationRulesApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly HttpClient _admin = fixture.App.Client();

    [Fact]
    public async Task Rules_are_stored_with_their_delays_and_urgencies()
    {
        var user = await _admin.PutJson("/api/v1/users/rules-ok", new
        {
            name = "Rules", email = "rules@example.com", phone = "+819011112222", time_zone = "Asia/Tokyo",
            notification_rules = new object[]
            {
                new { channel = "sms", after = "PT0S", urgency = "high" },
                new { channel = "email", after = "PT5M" },
            },
        }).Ok();
        var rules = user["notification_rules"]!.AsArray();
        Assert.Equal("sms", rules[0]!.Str("channel"));
        Assert.Equal("high", rules[0]!.Str("urgency"));
        Assert.Equal("PT5M", rules[1]!.Str("after"));
        Assert.Equal("any", rules[1]!.Str("urgency"));
    }

    [Fact]
    public async Task A_rule_for_a_channel_without_an_address_is_a_422_naming_the_channel()
    {
        var problem = await _admin.PutJson("/api/v1/users/rules-unreachable", new
        {
            name = "No phone", email = "nophone@example.com", time_zone = "Asia/Tokyo",
            notification_rules = new[] { new { channel = "sms", after = "PT0S", urgency = "any" } },
        }).Problem(422);
        Assert.Contains("sms", problem.Str("detail"));
        Assert.Contains("phone", problem.Str("detail"));
    }

    [Fact]
    public async Task Malformed_rules_are_400s_naming_the_field()
    {
        var problem = await _admin.PutJson("/api/v1/users/rules-bad", new
        {
            name = "Bad", email = "bad@example.com", time_zone = "Asia/Tokyo",
            notification_rules = new object[]
            {
                new { channel = "pager", after = "PT0S" },
                new { channel = "email", after = "soon" },
                new { channel = "email", after = "PT0S", urgency = "urgent" },
            },
        }).Problem(400);
        var fields = problem["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Contains("notification_rules[0].channel", fields);
        Assert.Contains("notification_rules[1].after", fields);
        Assert.Contains("notification_rules[2].urgency", fields);
    }

    [Fact]
    public async Task A_service_takes_urgency_slack_channel_locale_and_templates_and_refuses_bad_ones()
    {
        var ok = await _admin.PutJson("/api/v1/services/rules-svc", new
        {
            name = "Rules", escalation_policy_id = "default", urgency = "high", slack_channel = "C0RULES01", locale = "ja",
            declaration_template = "*{priority}* {title}\n{impact}",
        }).Ok();
        Assert.Equal("high", ok.Str("urgency"));
        Assert.Equal("ja", ok.Str("locale"));

        var bad = await _admin.PutJson("/api/v1/services/rules-svc", new
        {
            name = "Rules", escalation_policy_id = "default", urgency = "sometimes", slack_channel = "#general", locale = "fr",
            recovery_template = "bell\u0007",
        }).Problem(400);
        var fields = bad["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Equal(["locale", "recovery_template", "slack_channel", "urgency"], fields.Order());
    }
}
