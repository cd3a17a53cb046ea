using System.Net;
using Escalation.Monitors;
using Escalation.Silo.Monitors;

namespace Escalation.Tests.Monitors;

public sealed class MonitorRuleTests
{
    [Theory]
    [InlineData(0, false, true, 2, 0, CheckStreak.Turn.None)]
    [InlineData(0, false, false, 2, 1, CheckStreak.Turn.None)]
    [InlineData(1, false, false, 2, 2, CheckStreak.Turn.Open)]
    [InlineData(2, true, false, 2, 3, CheckStreak.Turn.None)]
    [InlineData(3, true, true, 2, 0, CheckStreak.Turn.Resolve)]
    [InlineData(0, false, false, 1, 1, CheckStreak.Turn.Open)]
    public void A_streak_opens_at_the_threshold_and_resolves_at_the_first_success(int failures, bool open, bool up, int threshold, int after, CheckStreak.Turn turn) =>
        Assert.Equal((after, turn), CheckStreak.After(failures, open, up, threshold));

    [Theory]
    [InlineData("169.254.169.254", true)]
    [InlineData("169.254.1.1", true)]
    [InlineData("::ffff:169.254.169.254", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00:ec2::254", true)]
    [InlineData("100.100.100.200", true)]
    [InlineData("10.0.0.5", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("203.0.113.7", false)]
    public void Link_local_and_metadata_addresses_are_forbidden(string address, bool forbidden) =>
        Assert.Equal(forbidden, RequestForgeryGuard.IsForbidden(IPAddress.Parse(address)));

    [Fact]
    public async Task The_checker_refuses_to_connect_to_the_metadata_service_even_by_a_name_that_resolves_there()
    {
        // "169.254.169.254.nip.io"-style names need DNS; an address literal goes through the same connect step.
        using var client = new HttpClient(HttpChecker.Handler(new MonitorOptions())) { Timeout = TimeSpan.FromSeconds(5) };
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://169.254.169.254/computeMetadata/v1/"));
        Assert.IsType<ForbiddenAddressException>(refused.InnerException);
    }
}
