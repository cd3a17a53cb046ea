using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Silo.Channels;
using Escalation.Silo.Channels.Log;
using Microsoft.Extensions.Logging;

namespace Escalation.Tests.Channels.Log;

/// <summary>The log channel writes what a monitor or a user sent, escaped, so that it cannot add lines of its own.</summary>
public class LogChannelTests
{
    private const string Forged = "Disk full\npage.sent notification=FAKE incident=X user=ceo channel=sms via=log level=1 loop=0 severity=critical: fine\r\n";

    private readonly CapturingLogger _log = new();

    [Fact]
    public async Task A_summary_with_line_breaks_is_one_escaped_line()
    {
        var page = new PageRequest("01JINC/0.1.0/aiko/sms", "01JINC", "api", Forged, "critical", 1, 0, "aiko", "sms");

        await new LogChannel(_log).SendPage(new PageDelivery(page, new IncidentState(), null, null, "+819012345678"), CancellationToken.None);

        var line = Assert.Single(_log.Lines);
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        Assert.StartsWith("page.sent notification=01JINC/0.1.0/aiko/sms incident=01JINC user=aiko channel=sms", line);
        Assert.EndsWith(@": Disk full\npage.sent notification=FAKE incident=X user=ceo channel=sms via=log level=1 loop=0 severity=critical: fine\r\n", line);
    }

    [Fact]
    public async Task An_announcement_with_line_breaks_is_one_escaped_line()
    {
        var announcement = new AnnouncementRequest("rotation:r/handoff/1/aiko/log", "r", "handoff", "aiko", null, "log", "Aiko\u2028is on call\nnow");

        await new LogChannel(_log).SendAnnouncement(new AnnouncementDelivery(announcement, null, ""), CancellationToken.None);

        var line = Assert.Single(_log.Lines);
        Assert.EndsWith(@": Aiko\u2028is on call\nnow", line);
    }

    private sealed class CapturingLogger : ILogger<LogChannel>
    {
        public List<string> Lines { get; } = [];

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));

        public bool IsEnabled(LogLevel logLevel) => true;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    }
}
