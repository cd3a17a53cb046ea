using Escalation.Configuration;
using Escalation.Storage.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Escalation.Tests.Configuration;

public class ExpiringCacheTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));
    private int _loads;

    private Task<string?> Load(string? value)
    {
        _loads++;
        return Task.FromResult(value);
    }

    [Fact]
    public async Task A_found_value_is_remembered_until_it_expires()
    {
        var cache = new ExpiringCache(_clock, TimeSpan.FromSeconds(5));
        Assert.Equal("a", await cache.GetOrLoad("k", () => Load("a")));
        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal("a", await cache.GetOrLoad("k", () => Load("b")));
        Assert.Equal(1, _loads);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("b", await cache.GetOrLoad("k", () => Load("b")));
        Assert.Equal(2, _loads);
    }

    [Fact]
    public async Task A_miss_is_never_remembered_so_new_things_are_seen_at_once()
    {
        var cache = new ExpiringCache(_clock, TimeSpan.FromSeconds(5));
        Assert.Null(await cache.GetOrLoad("k", () => Load(null)));
        Assert.Equal("new", await cache.GetOrLoad("k", () => Load("new")));
    }

    [Fact]
    public async Task Clear_forgets_everything()
    {
        var cache = new ExpiringCache(_clock, TimeSpan.FromSeconds(5));
        await cache.GetOrLoad("k", () => Load("old"));
        cache.Clear();
        Assert.Equal("new", await cache.GetOrLoad("k", () => Load("new")));
    }
}
