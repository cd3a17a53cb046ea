using System.Threading.RateLimiting;
using Escalation.Storage.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Internal;
using Microsoft.Extensions.Options;

namespace Escalation.Api.Auth;

/// <summary>What checking a credential found: the thing it opens, nothing, or that the caller must wait first.</summary>
public readonly record struct CredentialCheck<T>(T? Found, TimeSpan? RetryAfter) where T : class
{
    public bool Throttled => RetryAfter is not null;
}

/// <summary>
/// Keeps failed authentications (bad API keys, unknown routing keys, calendar tokens) from costing a database query
/// each. An unknown credential is remembered briefly, as its hash, in a bounded cache, and answered from there; and
/// a client address that keeps trying new ones is held back with a per-address window (ASP.NET Core's rate limiter):
/// past <see cref="FailedAuthenticationOptions.FailuresPerMinute"/> it is answered 429 before anything is looked up.
/// A good credential costs two lookups in memory: the cache and the address's window.
/// </summary>
public sealed class FailedAuthentications : IDisposable
{
    private readonly MemoryCache _unknown;
    // Credentials that worked lately: a monitor behind the same address as someone guessing keys is not held back.
    private readonly MemoryCache _good;
    private readonly PartitionedRateLimiter<string> _failures;
    private readonly TimeSpan _rememberFor;

    public FailedAuthentications(IOptions<FailedAuthenticationOptions> options, TimeProvider clock)
    {
        var o = options.Value;
        _rememberFor = o.RememberFailuresFor;
        _unknown = new MemoryCache(new MemoryCacheOptions { SizeLimit = o.RememberedFailures, Clock = new Clock(clock) });
        _good = new MemoryCache(new MemoryCacheOptions { SizeLimit = o.RememberedFailures, Clock = new Clock(clock) });
        // Replenished by the partitioned limiter's own heartbeat rather than a timer per address.
        var window = new FixedWindowRateLimiterOptions
        {
            PermitLimit = o.FailuresPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = false,
        };
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => window));
    }

    /// <summary>
    /// Looks <paramref name="secret"/> up with <paramref name="lookup"/> unless it is known to be unknown or the
    /// caller's address has tried too many. <paramref name="scope"/> tells apart what the secret must open: a kind
    /// of credential, and for a calendar token the feed.
    /// </summary>
    public async Task<CredentialCheck<T>> Check<T>(HttpContext context, string scope, string secret, Func<string, Task<T?>> lookup) where T : class
    {
        // A hash of fixed length: neither the secret nor a long scope (a feed id from the URL) is kept as sent.
        var key = SecretTokens.Hash($"{scope}\n{secret}");
        if (_unknown.TryGetValue(key, out _)) return default;
        var address = AddressOf(context);
        if (!_good.TryGetValue(key, out _))
        {
            using var open = _failures.AttemptAcquire(address, 0);
            if (!open.IsAcquired) return new(null, RetryAfter(open));
        }

        // Looked up even when it worked lately: a revoked credential stops at once.
        if (await lookup(secret) is { } found)
        {
            _good.Set(key, true, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });
            return new(found, null);
        }

        _unknown.Set(key, true, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _rememberFor });
        using var counted = _failures.AttemptAcquire(address, 1);
        return counted.IsAcquired ? default : new(null, RetryAfter(counted));
    }

    /// <summary>After a write that may make a remembered credential good (a service given a routing key tried before).</summary>
    public void Forget() => _unknown.Clear();

    public void Dispose()
    {
        _unknown.Dispose();
        _good.Dispose();
        _failures.Dispose();
    }

    private static string AddressOf(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : "unknown";

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);

    private sealed class Clock(TimeProvider clock) : ISystemClock
    {
        public DateTimeOffset UtcNow => clock.GetUtcNow();
    }
}
