using Escalation.Silo.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Escalation.Tests.Channels.Slack;

public class ReplayGuardTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_second_sight_of_a_key_is_a_replay()
    {
        var guard = new ReplayGuard(_clock, TimeSpan.FromMinutes(5));

        Assert.True(guard.FirstSeen("v0=abc"));
        Assert.False(guard.FirstSeen("v0=abc"));
        Assert.True(guard.FirstSeen("v0=def"));
    }

    [Fact]
    public void A_key_is_forgotten_once_the_window_has_passed()
    {
        var guard = new ReplayGuard(_clock, TimeSpan.FromMinutes(5));
        guard.FirstSeen("v0=abc");

        _clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.False(guard.FirstSeen("v0=abc"));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(guard.FirstSeen("v0=abc"));
        Assert.False(guard.FirstSeen("v0=abc"));
    }

    [Fact]
    public void Past_its_capacity_the_oldest_keys_are_forgotten_first()
    {
        var guard = new ReplayGuard(_clock, TimeSpan.FromMinutes(5), capacity: 2);
        guard.FirstSeen("a");
        guard.FirstSeen("b");
        guard.FirstSeen("c");

        Assert.False(guard.FirstSeen("c"));
        Assert.False(guard.FirstSeen("b"));
        Assert.True(guard.FirstSeen("a"));
    }

    [Fact]
    public void Of_many_simultaneous_sights_exactly_one_is_first()
    {
        var guard = new ReplayGuard(_clock, TimeSpan.FromMinutes(5));
        var firsts = 0;

        Parallel.For(0, 1000, _ =>
        {
            if (guard.FirstSeen("same"))
                Interlocked.Increment(ref firsts);
        });

        Assert.Equal(1, firsts);
    }

    [Fact]
    public void A_window_must_be_positive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplayGuard(_clock, TimeSpan.Zero));
}
