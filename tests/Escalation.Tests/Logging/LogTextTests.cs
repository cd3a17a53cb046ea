using Escalation.Logging;

namespace Escalation.Tests.Logging;

public class LogTextTests
{
    [Theory]
    [InlineData("Disk full\npage.sent notification=FAKE", @"Disk full\npage.sent notification=FAKE")]
    [InlineData("a\r\nb", @"a\r\nb")]
    [InlineData("tab\there", @"tab\there")]
    [InlineData("nul\0bell\a esc\u001b[31m del\u007f", @"nul\u0000bell\u0007 esc\u001b[31m del\u007f")]
    [InlineData("next line\u0085csi\u009b", @"next line\u0085csi\u009b")]
    [InlineData("line\u2028paragraph\u2029", @"line\u2028paragraph\u2029")]
    [InlineData(@"C:\temp\n is not a line break", @"C:\\temp\\n is not a line break")]
    public void Control_characters_and_line_separators_become_escapes(string sent, string logged)
    {
        Assert.Equal(logged, LogText.Escape(sent));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Checkout is failing in ap-northeast-1 (p99 > 2s) ✔ ディスク満杯 🚨")]
    public void Plain_text_is_left_as_it_is(string sent)
    {
        Assert.Same(sent, LogText.Escape(sent));
    }

    [Fact]
    public void Null_stays_null()
    {
        Assert.Null(LogText.Escape(null));
    }
}
