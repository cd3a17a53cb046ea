using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Routing;

namespace Escalation.Tests.Notifications;

public sealed class NotificationPlanTests
{
    private static readonly User Everywhere = new("aiko", "Aiko", "aiko@example.com", "+819012345678", "U0AIKO", "Asia/Tokyo");

    [Theory]
    [InlineData(Severity.Critical, ServiceUrgency.SeverityBased, Urgency.High)]
    [InlineData(Severity.Error, ServiceUrgency.SeverityBased, Urgency.High)]
    [InlineData(Severity.Warning, ServiceUrgency.SeverityBased, Urgency.Low)]
    [InlineData(Severity.Info, ServiceUrgency.SeverityBased, Urgency.Low)]
    [InlineData(Severity.Info, ServiceUrgency.High, Urgency.High)]
    [InlineData(Severity.Critical, ServiceUrgency.Low, Urgency.Low)]
    public void Severity_maps_to_urgency_unless_the_service_overrides_it(Severity severity, ServiceUrgency service, Urgency expected) =>
        Assert.Equal(expected, AlertRouting.RouteOf(new Service("api", "API", "default", "k", null, service), PriorityRules.FromSeverity(severity)).Urgency);

    [Fact]
    public void By_default_high_urgency_pages_every_channel_at_once_and_low_urgency_skips_SMS()
    {
        Assert.Equal([new PlannedPage("slack", TimeSpan.Zero), new PlannedPage("sms", TimeSpan.Zero), new PlannedPage("email", TimeSpan.Zero)],
            NotificationPlan.For(Everywhere, Urgency.High));
        Assert.Equal([new PlannedPage("slack", TimeSpan.Zero), new PlannedPage("email", TimeSpan.Zero)],
            NotificationPlan.For(Everywhere, Urgency.Low));
    }

    [Fact]
    public void Defaults_leave_out_channels_the_user_has_no_address_for()
    {
        var emailOnly = Everywhere with { Phone = null, SlackUserId = null };
        Assert.Equal([new PlannedPage("email", TimeSpan.Zero)], NotificationPlan.For(emailOnly, Urgency.High));
    }

    [Fact]
    public void Someone_with_no_address_at_all_is_paged_on_the_log_channel_rather_than_not_at_all()
    {
        var nowhere = Everywhere with { Phone = null, SlackUserId = null, Email = null };
        Assert.Equal([new PlannedPage("log", TimeSpan.Zero)], NotificationPlan.For(nowhere, Urgency.High));
        Assert.Equal([new PlannedPage("log", TimeSpan.Zero)], NotificationPlan.For(null, Urgency.Low));
    }

    [Fact]
    public void Own_rules_apply_by_urgency_with_their_delays()
    {
        var user = Everywhere with
        {
            NotificationRules =
            [
                new("slack", TimeSpan.Zero, RuleUrgency.Any),
                new("sms", TimeSpan.FromMinutes(5), RuleUrgency.High),
                new("email", TimeSpan.FromMinutes(10), RuleUrgency.Low),
                new("email", TimeSpan.FromMinutes(2), RuleUrgency.Low),
            ],
        };
        Assert.Equal([new PlannedPage("slack", TimeSpan.Zero), new PlannedPage("sms", TimeSpan.FromMinutes(5))], NotificationPlan.For(user, Urgency.High));
        Assert.Equal([new PlannedPage("slack", TimeSpan.Zero), new PlannedPage("email", TimeSpan.FromMinutes(2))], NotificationPlan.For(user, Urgency.Low));
    }

    [Fact]
    public void SMS_turned_off_by_STOP_pages_a_channel_the_plan_does_not_use_yet_at_the_same_moment()
    {
        var stopped = Everywhere with
        {
            SmsStoppedAt = DateTimeOffset.UnixEpoch,
            NotificationRules = [new("sms", TimeSpan.Zero, RuleUrgency.Any), new("email", TimeSpan.FromHours(1), RuleUrgency.Any)],
        };
        foreach (var urgency in new[] { Urgency.High, Urgency.Low })
            Assert.Equal([new PlannedPage("slack", TimeSpan.Zero, InsteadOf: "sms"), new PlannedPage("email", TimeSpan.FromHours(1))],
                NotificationPlan.For(stopped, urgency));
    }

    [Fact]
    public void When_every_channel_is_planned_already_STOP_brings_the_next_one_forward()
    {
        var stopped = Everywhere with
        {
            SmsStoppedAt = DateTimeOffset.UnixEpoch,
            NotificationRules = [new("slack", TimeSpan.Zero, RuleUrgency.Any), new("sms", TimeSpan.Zero, RuleUrgency.Any), new("email", TimeSpan.FromMinutes(10), RuleUrgency.Any)],
        };
        Assert.Equal([new PlannedPage("slack", TimeSpan.Zero), new PlannedPage("email", TimeSpan.Zero, InsteadOf: "sms")],
            NotificationPlan.For(stopped, Urgency.High));
    }

    [Fact]
    public void When_nothing_else_reaches_them_the_page_stays_on_SMS_to_fail_and_escalate_rather_than_count_as_sent()
    {
        var phoneOnly = Everywhere with { SmsStoppedAt = DateTimeOffset.UnixEpoch, SlackUserId = null, Email = null };
        Assert.Equal([new PlannedPage("sms", TimeSpan.Zero)], NotificationPlan.For(phoneOnly, Urgency.High));
    }

    [Fact]
    public void A_channel_the_plan_pages_anyway_is_not_said_to_stand_in_for_SMS()
    {
        var stopped = Everywhere with { SmsStoppedAt = DateTimeOffset.UnixEpoch };
        Assert.Equal([new PlannedPage("slack", TimeSpan.Zero), new PlannedPage("email", TimeSpan.Zero)], NotificationPlan.For(stopped, Urgency.High));
        Assert.Equal("email", NotificationPlan.Fallback(stopped, ["slack"]));
    }

    [Fact]
    public void Fallback_takes_the_next_reachable_channel_with_email_last()
    {
        Assert.Equal("sms", NotificationPlan.Fallback(Everywhere, ["slack"]));
        Assert.Equal("email", NotificationPlan.Fallback(Everywhere, ["slack", "sms"]));
        Assert.Equal("email", NotificationPlan.Fallback(Everywhere with { Phone = null }, ["slack"]));
        Assert.Null(NotificationPlan.Fallback(Everywhere, ["slack", "sms", "email"]));
        Assert.Null(NotificationPlan.Fallback(Everywhere with { Email = null, Phone = null }, ["slack"]));
    }
}
