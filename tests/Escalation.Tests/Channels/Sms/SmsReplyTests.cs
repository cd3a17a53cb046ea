using Escalation.Silo.Channels.Twilio;

namespace Escalation.Tests.Channels.Sms;

public class SmsReplyTests
{
    [Theory]
    [InlineData("1a", 1, SmsAction.Acknowledge)]
    [InlineData("1A", 1, SmsAction.Acknowledge)]
    [InlineData(" 12 C ", 12, SmsAction.Resolve)]
    [InlineData("3c", 3, SmsAction.Resolve)]
    [InlineData("7e", 7, SmsAction.Escalate)]
    [InlineData("\t42\tE\n", 42, SmsAction.Escalate)]
    [InlineData("05a", 5, SmsAction.Acknowledge)]
    public void A_code_and_a_letter_acts_on_one_page(string body, int code, SmsAction action) =>
        Assert.Equal(new SmsCommand.Act(code, action), SmsReply.Parse(body));

    [Theory]
    [InlineData("aa")]
    [InlineData(" AA ")]
    [InlineData("Aa")]
    public void Double_a_acknowledges_all(string body) => Assert.Equal(new SmsCommand.AcknowledgeAll(), SmsReply.Parse(body));

    [Theory]
    [InlineData("cc")]
    [InlineData("CC\n")]
    public void Double_c_resolves_all(string body) => Assert.Equal(new SmsCommand.ResolveAll(), SmsReply.Parse(body));

    [Theory]
    [InlineData("STOP")]
    [InlineData("stop")]
    [InlineData(" Stop ")]
    [InlineData("STOPALL")]
    [InlineData("UNSUBSCRIBE")]
    [InlineData("CANCEL")]
    [InlineData("END")]
    [InlineData("QUIT")]
    [InlineData("OPTOUT")]
    [InlineData("revoke")]
    public void Twilios_opt_out_keywords_stop(string body) => Assert.Equal(new SmsCommand.Stop(), SmsReply.Parse(body));

    [Theory]
    [InlineData("START")]
    [InlineData("yes")]
    [InlineData("Unstop")]
    public void Twilios_opt_in_keywords_start(string body) => Assert.Equal(new SmsCommand.Start(), SmsReply.Parse(body));

    [Theory]
    [InlineData("HELP")]
    [InlineData("help")]
    [InlineData("Info")]
    public void Help_and_info_ask_for_help(string body) => Assert.Equal(new SmsCommand.Help(), SmsReply.Parse(body));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a1")]
    [InlineData("1")]
    [InlineData("a")]
    [InlineData("1x")]
    [InlineData("1ack")]
    [InlineData("1a 2a")]
    [InlineData("aaa")]
    [InlineData("ee")]
    [InlineData("-1a")]
    [InlineData("1234567890a")]
    [InlineData("\u0661a")]
    [InlineData("stop paging me")]
    [InlineData("please stop")]
    [InlineData("thanks")]
    public void Anything_else_is_unknown(string? body) => Assert.Equal(new SmsCommand.Unknown(), SmsReply.Parse(body));
}
