using Escalation.Api.Postmortems;
using Escalation.Incidents;
using Escalation.Practice;
using Escalation.Routing;
using Escalation.Storage.Changes;
using NodaTime;

namespace Escalation.Tests.Practice;

public sealed class PostmortemDraftTests
{
    private static readonly DateTimeOffset Opened = new(2026, 12, 7, 1, 2, 0, TimeSpan.Zero);

    /// <summary>A P1 as it was recorded: a deploy, the alert, an escalation, a fallback, a status update, the recovery.</summary>
    private static PostmortemInput Recorded()
    {
        var incident = new IncidentState
        {
            Id = "01KBRECORDED0000000000000P", ServiceId = "checkout", Title = "Checkout 5xx above 5% [eu]", Priority = Priority.P1,
            Status = IncidentStatus.Resolved, CreatedAt = Opened, AlertCount = 3,
            ResolvedAt = Opened.AddMinutes(52), ResolvedBy = "aiko",
            DetailsJson = """{"impact":"All card payments failing in Europe","region":"eu-west-1"}""",
            Targets = ResponseTargets.DefaultP1,
            Cycles = [new ResponseCycle { Cycle = 0, StartedAt = Opened, RespondedAt = Opened.AddMinutes(17), RespondedBy = "aiko" }],
            Recovery = new Recovery("Rolled back release 2026.12.07-1", "Error rate under 0.1% for 15 minutes", "Canary the payment client\nAlert on 4xx from the PSP; add a runbook"),
        };
        var timeline = new List<TimelineEntry>
        {
            new(Opened, "triggered", "sentry", "Incident triggered: Checkout 5xx above 5% [eu] (P1, high urgency)"),
            new(Opened.AddSeconds(4), "notified", "system", "Paged ben via sms"),
            new(Opened.AddSeconds(40), "notification_failed", "system", "Page to ben via sms failed: gave up after 5 attempts: 503"),
            new(Opened.AddSeconds(40), "fallback", "system", "Paging ben via email instead, because sms failed"),
            new(Opened.AddMinutes(12), "target_warning", "system", "P1 first-response target at risk: not acknowledged PT12M (target PT15M)"),
            new(Opened.AddMinutes(15), "escalated", "system", "Not acknowledged within PT15M: escalated to level 2: @team-backend (aiko)"),
            new(Opened.AddMinutes(15), "target_missed", "system", "P1 first-response target missed: not acknowledged within PT15M"),
            new(Opened.AddMinutes(15), "status_update_due", "system", "Status update due: none posted since the incident opened."),
            new(Opened.AddMinutes(17), "acknowledged", "aiko", "Acknowledged by aiko"),
            new(Opened.AddMinutes(30), "status_update", "aiko", "Status update from aiko: Rolling back *release* 2026.12.07-1"),
            new(Opened.AddMinutes(52), "resolved", "aiko", "Resolved by aiko"),
        };
        var changes = new List<ChangeView>
        {
            new(Guid.Empty, "checkout", Opened.AddMinutes(-20), Opened.AddMinutes(-20), "Deploy 2026.12.07-1 to production", "github-actions", [], null),
        };
        return new PostmortemInput(incident, timeline, changes, "Checkout", null, DateTimeZoneProviders.Tzdb["Asia/Tokyo"],
            "https://escalation.example.com/api/v1/incidents/01KBRECORDED0000000000000P", Opened.AddHours(2),
            "99% of P1 acknowledged within 15 min over 30 days: missed by this incident; 62% of the budget left");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ja")]
    public void The_draft_of_a_recorded_P1_matches_the_expected_markdown(string locale)
    {
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Practice", "Postmortems", $"expected.{locale}.md"));
        Assert.Equal(expected.ReplaceLineEndings("\n"), PostmortemDraft.Render(Recorded(), locale));
    }

    [Fact]
    public void A_services_template_takes_the_same_placeholders_and_sent_text_cannot_add_markup()
    {
        var input = Recorded() with { Template = "# {title}\n{impact}\n" };
        var draft = PostmortemDraft.Render(input with { Incident = input.Incident with { Title = "# evil [link](http://x) <b> {impact}" } }, "en");
        // Placeholders are filled in one pass: one inside a title stays as it is.
        Assert.StartsWith("# \\# evil \\[link\\](http://x) \\<b\\> {impact}\n- **Duration:** 52 min\n", draft);
        Assert.DoesNotContain("## Timeline", draft);
    }
}
