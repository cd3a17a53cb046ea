using Escalation.Storage.Sms;
using System.Text;
using Escalation.Silo.Channels.Twilio;

namespace Escalation.Tests.Channels.Sms;

public class SmsPageTextTests
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [Fact]
    public void One_page_names_severity_title_service_and_its_codes() =>
        Assert.Equal(
            "[critical] Database down (payments). Reply 1a to acknowledge, 1c to resolve, 1e to escalate.",
            SmsPageText.Render([Page(1, "Database down")]));

    [Fact]
    public void A_page_alone_carries_the_source_link() =>
        Assert.Equal(
            "[error] Checkout 500s (checkout). https://acme.sentry.io/issues/1117540176/ Reply 1a to acknowledge, 1c to resolve, 1e to escalate.",
            SmsPageText.Render([new SmsPage(1, "inc-1", "Checkout 500s", "error", "checkout", "https://acme.sentry.io/issues/1117540176/")]));

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://example.com/a b")]
    [InlineData("not a url")]
    public void A_link_that_is_not_a_plain_web_address_is_left_out(string link) =>
        Assert.Equal(
            "[error] Checkout 500s (checkout). Reply 1a to acknowledge, 1c to resolve, 1e to escalate.",
            SmsPageText.Render([new SmsPage(1, "inc-1", "Checkout 500s", "error", "checkout", link)]));

    [Fact]
    public void A_very_long_title_is_shortened_and_the_codes_stay()
    {
        var text = SmsPageText.Render([Page(4, new string('x', 5000))]);

        Assert.True(text.Length <= SmsPageText.MaxLength, $"{text.Length} characters");
        Assert.Contains("x...", text);
        Assert.EndsWith("Reply 4a to acknowledge, 4c to resolve, 4e to escalate.", text);
    }

    [Fact]
    public void Control_characters_and_direction_overrides_leave_titles()
    {
        var text = SmsPageText.Render([Page(1, "Disk\r\nfull\u0007 on \u202Edb-1\t\t(primary)")]);

        Assert.StartsWith("[critical] Disk full on db-1 (primary) (payments).", text);
        Assert.DoesNotContain(text, c => char.IsControl(c) || c == '\u202E');
    }

    [Fact]
    public void Several_pages_get_one_line_each_and_a_way_to_acknowledge_all() =>
        Assert.Equal(
            """
            2 pages:
            1: [critical] Database down (payments)
            2: [warning] Disk at 91% (storage)
            Reply aa to acknowledge all, or 1a/1c/1e for one.
            """.ReplaceLineEndings("\n"),
            SmsPageText.Render([Page(1, "Database down"), new SmsPage(2, "inc-2", "Disk at 91%", "warning", "storage")]));

    [Fact]
    public void A_bundle_of_very_long_titles_keeps_every_code_within_twilios_limit()
    {
        var pages = Enumerable.Range(1, 12).Select(code => Page(code, $"Alert {code} " + new string('y', 2000))).ToList();

        var text = SmsPageText.Render(pages);

        Assert.True(text.Length <= SmsPageText.MaxLength, $"{text.Length} characters");
        AssertEveryCode(pages, text);
        Assert.All(text.Split('\n')[1..^1], line => Assert.Contains("(payments)", line));
    }

    [Fact]
    public void Short_titles_stay_whole_when_long_ones_are_cut()
    {
        var pages = new[] { Page(1, "Short one"), Page(2, new string('z', 3000)), Page(3, new string('w', 3000)) };

        var text = SmsPageText.Render(pages);

        Assert.Contains("1: [critical] Short one (payments)", text);
        Assert.True(text.Length <= SmsPageText.MaxLength);
        Assert.True(text.Length > SmsPageText.MaxLength - 20, "the room left over goes to the long titles");
    }

    [Fact]
    public void A_storm_too_big_for_details_falls_back_to_codes_and_titles()
    {
        var pages = Enumerable.Range(1, 150)
            .Select(code => new SmsPage(code, $"inc-{code}", new string('t', 500), "critical", new string('s', 200)))
            .ToList();

        var text = SmsPageText.Render(pages);

        Assert.True(text.Length <= SmsPageText.MaxLength, $"{text.Length} characters");
        AssertEveryCode(pages, text);
    }

    [Fact]
    public void A_bundle_too_large_even_for_codes_alone_is_refused()
    {
        var pages = Enumerable.Range(1, 1000).Select(code => Page(code, "t")).ToList();

        Assert.Throws<ArgumentException>(() => SmsPageText.Render(pages));
    }

    [Fact]
    public void No_pages_is_refused() => Assert.Throws<ArgumentException>(() => SmsPageText.Render([]));

    [Fact]
    public void Shortening_never_splits_an_emoji()
    {
        var pages = Enumerable.Range(1, 5).Select(code => Page(code, string.Concat(Enumerable.Repeat("\U0001F525", 1000)))).ToList();

        var text = SmsPageText.Render(pages);

        Assert.True(text.Length <= SmsPageText.MaxLength);
        StrictUtf8.GetBytes(text);
    }

    [Fact]
    public void Confirmations_name_the_incident_and_its_title()
    {
        Assert.Equal("Acknowledged inc-7: Database down", SmsPageText.Acknowledged("inc-7", "Database down"));
        Assert.Equal("Resolved inc-7: Database down", SmsPageText.Resolved("inc-7", "Database down"));
        Assert.Equal("Escalated inc-7: Database down", SmsPageText.Escalated("inc-7", "Database down"));
        Assert.Equal("Acknowledged inc-7.", SmsPageText.Acknowledged("inc-7", " \n "));
    }

    [Fact]
    public void A_confirmation_fits_one_segment()
    {
        var text = SmsPageText.Acknowledged("inc-7", new string('q', 900));

        Assert.True(text.Length <= 160, $"{text.Length} characters");
        Assert.StartsWith("Acknowledged inc-7: qqq", text);
    }

    [Fact]
    public void Bulk_confirmations_count_incidents()
    {
        Assert.Equal("Acknowledged 1 incident.", SmsPageText.AcknowledgedAll(1));
        Assert.Equal("Acknowledged 3 incidents.", SmsPageText.AcknowledgedAll(3));
        Assert.Equal("Resolved 2 incidents.", SmsPageText.ResolvedAll(2));
    }

    [Fact]
    public void Help_explains_the_replies_in_one_segment()
    {
        var help = SmsPageText.Help();

        Assert.True(help.Length <= 160, $"{help.Length} characters");
        Assert.Contains("1a", help);
        Assert.Contains("1c", help);
        Assert.Contains("1e", help);
        Assert.Contains("aa", help);
        Assert.Contains("STOP", help);
    }

    [Fact]
    public void Other_answers_say_what_happened()
    {
        Assert.Contains("code 9", SmsPageText.NoSuchCode(9));
        Assert.Contains("START", SmsPageText.Stopped());
    }

    private static SmsPage Page(int code, string title) => new(code, $"inc-{code}", title, "critical", "payments");

    private static void AssertEveryCode(IReadOnlyList<SmsPage> pages, string text)
    {
        var lines = text.Split('\n');
        Assert.Equal(pages.Count + 2, lines.Length);
        for (var i = 0; i < pages.Count; i++)
        {
            Assert.StartsWith($"{pages[i].Code}: ", lines[i + 1] + " ");
        }
    }
}
