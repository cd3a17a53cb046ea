using System.Text.Json.Nodes;
using Escalation.Incidents;
using Escalation.Silo.Channels.Slack;

namespace Escalation.Tests.Channels.Slack;

public class SlackIncidentMessagesTests
{
    private static string SectionText(SlackContent content) => (string)content.Blocks[0]!["text"]!["text"]!;

    private static string[] BlockTypes(SlackContent content) => content.Blocks.Select(b => (string)b!["type"]!).ToArray();

    private static string[] ActionIds(SlackContent content) =>
        content.Blocks.Where(b => (string?)b!["type"] == "actions")
            .SelectMany(b => b!["elements"]!.AsArray())
            .Select(e => (string)e!["action_id"]!)
            .ToArray();

    private static string ContextText(SlackContent content) =>
        (string)content.Blocks.Single(b => (string?)b!["type"] == "context")!["elements"]![0]!["text"]!;

    [Fact]
    public void A_page_links_the_title_and_shows_severity_service_and_status()
    {
        var page = SlackIncidentMessages.Page(Incidents.Triggered(), "en");

        Assert.Contains("You are paged", SectionText(page));
        Assert.Contains("<https://escalation.example/incidents/inc-42|Checkout error rate above 5%>", SectionText(page));
        var fields = page.Blocks[0]!["fields"]!.AsArray().Select(f => (string)f!["text"]!).ToArray();
        Assert.Equal(["*Severity*\ncritical", "*Service*\nPayments", "*Status*\nTriggered"], fields);
        Assert.Equal(["section", "actions"], BlockTypes(page));
        Assert.Equal([SlackActions.Acknowledge, SlackActions.Resolve], ActionIds(page));
        Assert.Contains("Checkout error rate above 5%", page.Text);
    }

    [Fact]
    public void Once_acknowledged_only_resolve_remains_and_who_acknowledged_is_shown()
    {
        var page = SlackIncidentMessages.Page(Incidents.Acknowledged("Aiko"), "en");

        Assert.Equal(["section", "context", "actions"], BlockTypes(page));
        Assert.Equal("Acknowledged by Aiko", ContextText(page));
        Assert.Equal([SlackActions.Resolve], ActionIds(page));
        var resolve = page.Blocks[2]!["elements"]![0]!;
        Assert.Equal("danger", (string?)resolve["style"]);
        Assert.Equal("inc-42", (string?)resolve["value"]);
    }

    [Fact]
    public void Once_resolved_the_buttons_are_gone()
    {
        var page = SlackIncidentMessages.Page(Incidents.Resolved("Aiko"), "en");

        Assert.Equal(["section", "context"], BlockTypes(page));
        Assert.Equal("Resolved by Aiko", ContextText(page));
        Assert.Empty(ActionIds(page));
        Assert.Empty(ActionIds(SlackIncidentMessages.Declaration(Incidents.Resolved(), "en", null)));
        Assert.Empty(ActionIds(SlackIncidentMessages.Plain(Incidents.Resolved(), "en")));
    }

    [Fact]
    public void A_plain_post_is_the_page_without_the_paging()
    {
        var plain = SlackIncidentMessages.Plain(Incidents.Triggered() with { HighUrgency = false }, "en");

        Assert.DoesNotContain("paged", SectionText(plain));
        Assert.DoesNotContain("paged", plain.Text);
        Assert.Contains("|Checkout error rate above 5%>", SectionText(plain));
        Assert.Equal([SlackActions.Acknowledge, SlackActions.Resolve], ActionIds(plain));
    }

    [Fact]
    public void A_japanese_service_pages_and_posts_in_japanese()
    {
        var page = SlackIncidentMessages.Page(Incidents.Acknowledged("Aiko"), "ja");

        Assert.StartsWith(":eyes: *呼び出し：* ", SectionText(page));
        var fields = page.Blocks[0]!["fields"]!.AsArray().Select(f => (string)f!["text"]!).ToArray();
        Assert.Equal(["*重大度*\ncritical", "*サービス*\nPayments", "*ステータス*\n確認済み"], fields);
        Assert.Equal("確認者：Aiko", ContextText(page));
        Assert.StartsWith("呼び出し： Checkout", page.Text);

        var plain = SlackIncidentMessages.Plain(Incidents.Triggered() with { HighUrgency = false }, "ja-JP");
        Assert.Equal("*ステータス*\n未対応", (string)plain.Blocks[0]!["fields"]![2]!["text"]!);
        var labels = plain.Blocks[1]!["elements"]!.AsArray().Select(b => (string)b!["text"]!["text"]!);
        Assert.Equal(["確認", "解決"], labels);
        Assert.DoesNotContain("呼び出し", plain.Text);
    }

    [Fact]
    public void An_english_declaration_has_the_teams_format_with_safe_defaults()
    {
        var declaration = SlackIncidentMessages.Declaration(Incidents.Triggered(), "en", null);
        var text = SectionText(declaration);

        Assert.Contains("[P1]", text);
        Assert.Contains("Checkout error rate above 5%", text);
        Assert.Contains("*Kind:* critical", text);
        Assert.Contains("*Service:* Payments", text);
        Assert.Contains("*Entry point:* POST /checkout", text);
        Assert.Contains("*Impact:* unknown: assess now", text);
        Assert.Contains("*Signals:* <https://grafana.example/d/checkout|Checkout dashboard>, <https://logs.example/q?x=1&y=2|Error logs>", text);
        Assert.Contains("*First action:* Acknowledge, then investigate", text);
        Assert.Contains("<https://escalation.example/incidents/inc-42|", text);
        Assert.Equal([SlackActions.Acknowledge, SlackActions.Resolve], ActionIds(declaration));
        Assert.Contains("[P1]", declaration.Text);
    }

    [Fact]
    public void A_japanese_declaration_reads_in_japanese()
    {
        var declaration = SlackIncidentMessages.Declaration(Incidents.Triggered(), "ja", null);
        var text = SectionText(declaration);

        Assert.Contains("【P1】インシデント宣言：Checkout error rate above 5%", text);
        Assert.Contains("*種別：* critical", text);
        Assert.Contains("*サービス：* Payments", text);
        Assert.Contains("*エントリーポイント：* POST /checkout", text);
        Assert.Contains("*影響範囲：* 不明：至急確認してください", text);
        Assert.Contains("*シグナル：* <https://grafana.example/d/checkout|Checkout dashboard>", text);
        Assert.Contains("*初動対応：* 「確認」を押してから調査を始めてください", text);
        Assert.Contains("|インシデントを開く>", text);
        var labels = declaration.Blocks[1]!["elements"]!.AsArray().Select(b => (string)b!["text"]!["text"]!);
        Assert.Equal(["確認", "解決"], labels);
    }

    [Theory]
    [InlineData("ja-JP", "インシデント宣言")]
    [InlineData("fr", "Incident declared")]
    [InlineData("", "Incident declared")]
    public void Other_locales_fall_back_to_english(string locale, string expected) =>
        Assert.Contains(expected, SectionText(SlackIncidentMessages.Declaration(Incidents.Triggered(), locale, null)));

    [Fact]
    public void Custom_details_override_the_defaults()
    {
        var details = new JsonObject
        {
            ["kind"] = "latency",
            ["impact"] = "EU customers cannot pay",
            ["first_action"] = "Fail over to the secondary PSP",
        };

        var text = SectionText(SlackIncidentMessages.Declaration(Incidents.Triggered(details) with { Priority = "P2" }, "en", null));

        Assert.Contains("[P2]", text); // the incident's own priority
        Assert.Contains("*Kind:* latency", text);
        Assert.Contains("*Impact:* EU customers cannot pay", text);
        Assert.Contains("*First action:* Fail over to the secondary PSP", text);
        Assert.DoesNotContain("P1", text);
    }

    [Fact]
    public void Custom_details_that_are_not_strings_show_as_their_json_and_null_or_blank_ones_as_absent()
    {
        var details = new JsonObject
        {
            ["impact"] = new JsonObject { ["regions"] = new JsonArray("eu", "東京") },
            ["kind"] = null,
            ["first_action"] = "  ",
        };

        var text = SectionText(SlackIncidentMessages.Declaration(Incidents.Triggered(details), "en", null));

        Assert.Contains("[P1]", text);
        Assert.Contains("""*Impact:* {"regions":["eu","東京"]}""", text);
        Assert.Contains("*Kind:* critical", text);
        Assert.Contains("*First action:* Acknowledge, then investigate", text);
    }

    [Fact]
    public void User_text_is_escaped_but_the_links_built_for_it_are_not()
    {
        var incident = Incidents.Triggered(
            new JsonObject { ["impact"] = "<!channel> & <@U123>" },
            links: [("https://grafana.example/d?a=1&b=2", "p99 > 2s")]) with
        {
            Title = "5xx <b>spike</b> & more",
            ServiceName = "Pay<ments>",
            EntryPoint = "GET /a?x=<y>",
        };

        var text = SectionText(SlackIncidentMessages.Declaration(incident, "en", null));

        Assert.Contains("5xx &lt;b&gt;spike&lt;/b&gt; &amp; more", text);
        Assert.Contains("*Service:* Pay&lt;ments&gt;", text);
        Assert.Contains("*Entry point:* GET /a?x=&lt;y&gt;", text);
        Assert.Contains("*Impact:* &lt;!channel&gt; &amp; &lt;@U123&gt;", text);
        Assert.Contains("<https://grafana.example/d?a=1&b=2|p99 &gt; 2s>", text);
        Assert.DoesNotContain("<!channel>", text);
        Assert.Contains("|5xx &lt;b&gt;spike&lt;/b&gt; &amp; more>", SectionText(SlackIncidentMessages.Page(incident, "en")));
    }

    [Fact]
    public void A_link_href_cannot_break_out_of_its_link() =>
        Assert.Contains(
            "<https://x.example/a%3E%7Cb|evil>",
            SectionText(SlackIncidentMessages.Declaration(Incidents.Triggered(links: [("https://x.example/a>|b", "evil")]), "en", null)));

    [Fact]
    public void Without_links_the_signals_are_the_incident_itself() =>
        Assert.Contains(
            "*Signals:* <https://escalation.example/incidents/inc-42>",
            SectionText(SlackIncidentMessages.Declaration(Incidents.Triggered(links: []), "en", null)));

    [Fact]
    public void An_operator_template_is_filled_and_keeps_what_it_does_not_know()
    {
        const string template = "{priority}/{kind} {title} @ {service} via {entry_point}: {impact}; {signals}; {first_action}; {incident_url} {unknown}";

        var text = SectionText(SlackIncidentMessages.Declaration(Incidents.Triggered(links: []), "ja", template));

        Assert.Equal(
            "P1/critical Checkout error rate above 5% @ Payments via POST /checkout: 不明：至急確認してください; "
            + "<https://escalation.example/incidents/inc-42>; 「確認」を押してから調査を始めてください; "
            + "https://escalation.example/incidents/inc-42 {unknown}",
            text);
    }

    [Fact]
    public void A_blank_template_means_the_default() =>
        Assert.Equal(
            SectionText(SlackIncidentMessages.Declaration(Incidents.Triggered(), "en", null)),
            SectionText(SlackIncidentMessages.Declaration(Incidents.Triggered(), "en", " ")));

    [Fact]
    public void A_recovery_says_what_was_done_or_where_to_look()
    {
        var bare = SectionText(SlackIncidentMessages.Recovery(Incidents.Resolved("Aiko"), "en", null));
        Assert.Contains("[P1] Recovered: Checkout error rate above 5%", bare);
        Assert.Contains("*What was done:* see the incident timeline", bare);
        Assert.Contains("*How it was confirmed:* see the incident timeline", bare);
        Assert.Contains("*Follow-ups:* to be decided in the postmortem", bare);
        Assert.Contains("*Resolved by:* Aiko", bare);
        // The recovery post links the postmortem draft, in the post's own locale.
        Assert.Matches(@"<https://[^|>]+/postmortem\?locale=en\|Postmortem draft>", bare);
        Assert.Contains("/postmortem?locale=ja|ポストモーテム下書き>", SectionText(SlackIncidentMessages.Recovery(Incidents.Resolved("Aiko"), "ja", null)));

        var details = new JsonObject
        {
            ["what_was_done"] = "Rolled back 2026.11.3",
            ["how_confirmed"] = "Error rate < 0.1% for 15 min",
            ["follow_ups"] = "Canary for PSP config",
        };
        var told = SectionText(SlackIncidentMessages.Recovery(Incidents.Resolved("Aiko", details) with { Priority = "P2" }, "en", null));
        Assert.Contains("[P2]", told);
        Assert.Contains("*What was done:* Rolled back 2026.11.3", told);
        Assert.Contains("*How it was confirmed:* Error rate &lt; 0.1% for 15 min", told);
        Assert.Contains("*Follow-ups:* Canary for PSP config", told);

        var resolver = Incidents.Resolved("Aiko", details) with { Recovery = new Recovery("Failed over to the standby PSP", null, " ") };
        var byResolver = SectionText(SlackIncidentMessages.Recovery(resolver, "en", null));
        Assert.Contains("*What was done:* Failed over to the standby PSP", byResolver); // the resolver's word first
        Assert.Contains("*How it was confirmed:* Error rate &lt; 0.1% for 15 min", byResolver);
        Assert.Contains("*Follow-ups:* Canary for PSP config", byResolver); // blank is not told
    }

    [Fact]
    public void A_japanese_recovery_reads_in_japanese()
    {
        var recovery = SlackIncidentMessages.Recovery(Incidents.Resolved("佐藤"), "ja", null);
        var text = SectionText(recovery);

        Assert.Contains("【P1】復旧：Checkout error rate above 5%", text);
        Assert.Contains("*実施した対応：* インシデントのタイムラインを参照してください", text);
        Assert.Contains("*今後の対応：* ポストモーテムで決定します", text);
        Assert.Contains("*解決者：* 佐藤", text);
        Assert.Equal(["section", "context"], BlockTypes(recovery));
        Assert.Equal("解決者：佐藤", ContextText(recovery));
    }

    [Fact]
    public void A_recovery_template_has_its_own_placeholders() =>
        Assert.Equal(
            "P1 | Checkout error rate above 5% | see the incident timeline | Aiko | {kind}",
            SectionText(SlackIncidentMessages.Recovery(Incidents.Resolved("Aiko"), "en", "{priority} | {title} | {what_was_done} | {resolved_by} | {kind}")));

    [Fact]
    public void A_very_long_title_is_cut_rather_than_refused_by_Slack()
    {
        var page = SlackIncidentMessages.Page(Incidents.Triggered() with { Title = new string('x', 5000) }, "en");

        Assert.True(SectionText(page).Length <= 3000);
        Assert.Contains("…", SectionText(page));
    }
}
