using System.Net;
using Escalation.Api.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Escalation.Tests.Auth;

public sealed class FailedAuthenticationsTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly FailedAuthentications _failures;
    private readonly List<string> _lookedUp = [];

    public FailedAuthenticationsTests() => _failures = Failures(new FailedAuthenticationOptions());

    private FailedAuthentications Failures(FailedAuthenticationOptions options) => new(Options.Create(options), _clock);

    private Task<CredentialCheck<string>> Check(string secret, string address = "192.0.2.1", FailedAuthentications? failures = null) =>
        (failures ?? _failures).Check(From(address), "api-key", secret, s =>
        {
            _lookedUp.Add(s);
            return Task.FromResult(s.StartsWith("good") ? $"key for {s}" : null);
        });

    private static HttpContext From(string address) => new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse(address) } };

    [Fact]
    public async Task An_unknown_credential_is_looked_up_once_and_then_answered_from_memory_for_30_seconds()
    {
        for (var i = 0; i < 5; i++) Assert.Null((await Check("bad-1")).Found);
        Assert.Equal(["bad-1"], _lookedUp);

        _clock.Advance(TimeSpan.FromSeconds(29));
        await Check("bad-1");
        Assert.Single(_lookedUp);

        _clock.Advance(TimeSpan.FromSeconds(2));
        await Check("bad-1");
        Assert.Equal(["bad-1", "bad-1"], _lookedUp);
    }

    [Fact]
    public async Task A_good_credential_is_looked_up_every_time_so_that_a_revoked_one_stops_at_once()
    {
        Assert.Equal("key for good-1", (await Check("good-1")).Found);
        Assert.Equal("key for good-1", (await Check("good-1")).Found);
        Assert.Equal(2, _lookedUp.Count);
    }

    [Fact]
    public async Task An_address_that_tries_too_many_unknown_credentials_waits_without_anything_being_looked_up()
    {
        for (var i = 0; i < 20; i++) Assert.False((await Check($"bad-{i}")).Throttled);

        var throttled = await Check("bad-20");
        Assert.True(throttled.Throttled);
        Assert.Equal(TimeSpan.FromMinutes(1), throttled.RetryAfter);
        var before = _lookedUp.Count;
        Assert.True((await Check("good-1")).Throttled);
        Assert.Equal(before, _lookedUp.Count);

        // One already known to be unknown costs nothing, so it is simply refused; other addresses go on as before.
        Assert.False((await Check("bad-3")).Throttled);
        Assert.Equal("key for good-1", (await Check("good-1", address: "198.51.100.7")).Found);
        Assert.False((await Check("bad-21", address: "198.51.100.7")).Throttled);
    }

    [Fact]
    public async Task A_credential_that_worked_lately_still_works_from_an_address_held_back_for_guessing()
    {
        Assert.Equal("key for good-monitor", (await Check("good-monitor")).Found);
        for (var i = 0; i <= 20; i++) await Check($"bad-{i}");
        Assert.True((await Check("bad-guess")).Throttled);

        Assert.Equal("key for good-monitor", (await Check("good-monitor")).Found);
        Assert.True((await Check("good-never-seen")).Throttled);
    }

    [Fact]
    public async Task At_most_the_configured_number_of_unknown_credentials_is_remembered()
    {
        using var failures = Failures(new FailedAuthenticationOptions { RememberedFailures = 3 });
        string[] secrets = ["bad-a", "bad-b", "bad-c", "bad-d", "bad-e"];
        foreach (var s in secrets) await Check(s, failures: failures);
        _lookedUp.Clear();

        foreach (var s in secrets) await Check(s, failures: failures);

        Assert.True(_lookedUp.Count >= 2, $"only {_lookedUp.Count} of five looked up again: more than three remembered");
    }

    [Fact]
    public async Task Forgetting_makes_a_remembered_credential_be_looked_up_again()
    {
        await Check("bad-1");
        _failures.Forget();
        await Check("bad-1");
        Assert.Equal(2, _lookedUp.Count);
    }

    public void Dispose() => _failures.Dispose();
}
