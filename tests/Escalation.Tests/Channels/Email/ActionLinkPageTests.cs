using Escalation.Silo.Channels.SendGrid;

namespace Escalation.Tests.Channels.Email;

public class ActionLinkPageTests
{
    [Theory]
    [InlineData(LinkAction.Acknowledge, "Acknowledge incident")]
    [InlineData(LinkAction.Resolve, "Resolve incident")]
    public void Confirming_is_a_form_that_posts_back_with_one_button(LinkAction action, string button)
    {
        var html = ActionLinkPage.Confirm("Disk full", action, "/links/abc.def");

        Assert.Contains("<form method=\"post\" action=\"/links/abc.def\">", html);
        Assert.Contains($">{button}</button>", html);
        Assert.Single(html.Split("<button").Skip(1));
        Assert.DoesNotContain("<script", html);
    }

    [Fact]
    public void The_confirm_page_encodes_the_title_and_the_address()
    {
        var html = ActionLinkPage.Confirm("<script>alert(1)</script>", LinkAction.Resolve, "/links/a\"><b>?x=1&y=2");

        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("action=\"/links/a&quot;&gt;&lt;b&gt;?x=1&amp;y=2\"", html);
    }

    [Fact]
    public void Done_and_problem_pages_encode_their_message()
    {
        Assert.Contains("&lt;img src=x&gt;", ActionLinkPage.Done("<img src=x>"));
        Assert.Contains("&lt;img src=x&gt;", ActionLinkPage.Problem("<img src=x>"));
        Assert.DoesNotContain("<img", ActionLinkPage.Problem("<img src=x>"));
    }

    [Fact]
    public void The_pages_do_not_pass_their_token_bearing_address_on_as_a_referrer()
    {
        Assert.Contains("<meta name=\"referrer\" content=\"no-referrer\">", ActionLinkPage.Confirm("t", LinkAction.Acknowledge, "/x"));
    }
}
