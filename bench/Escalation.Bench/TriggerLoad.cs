using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Escalation.Bench;

/// <summary>One accepted trigger: its dedup key, the client's UTC wall clock when it was sent, and the time to the 202.</summary>
public sealed record Accepted(string DedupKey, DateTime SentAtUtc, double LatencyMs);

public sealed record TriggerRun(IReadOnlyList<Accepted> Accepted, int Errors, IReadOnlyDictionary<string, int> ErrorKinds,
    TimeSpan Elapsed, int LateStarts)
{
    public double Rate => Accepted.Count / Elapsed.TotalSeconds;

    /// <summary>When each failed trigger was sent (client UTC).</summary>
    public IReadOnlyList<DateTime> ErrorsSentAtUtc { get; init; } = [];
}

/// <summary>Sends PagerDuty Events v2 triggers, each with its own dedup key, so that each opens an incident.</summary>
public sealed class TriggerLoad(HttpClient http, BenchOptions options)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private long _sequence;

    public static HttpClient CreateClient(BenchOptions options) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = int.MaxValue, // the paced phase may have more requests in flight than senders
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        BaseAddress = options.Url,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Closed loop: each of the senders sends its next trigger as soon as the last one is answered.</summary>
    public async Task<TriggerRun> Saturate(string phase, TimeSpan duration)
    {
        var results = new Results();
        var clock = Stopwatch.StartNew();
        var senders = Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            await Task.Yield();
            while (clock.Elapsed < duration) await Send(phase, results);
        });
        await Task.WhenAll(senders);
        return results.Finish(clock.Elapsed, lateStarts: 0);
    }

    /// <summary>
    /// Open loop at <paramref name="rate"/> events/s in all: sender i of N sends at t0 + (k·N + i)/rate without
    /// waiting for earlier answers, so a slow answer does not delay the next send. A send that starts more than
    /// 5 ms behind its schedule is counted as late (a sign that the client, not the service, was short of CPU).
    /// </summary>
    public async Task<TriggerRun> Paced(string phase, double rate, TimeSpan duration)
    {
        var results = new Results();
        var lateStarts = 0;
        var clock = Stopwatch.StartNew();
        var n = options.Concurrency;
        var senders = Enumerable.Range(0, n).Select(async i =>
        {
            var inFlight = new List<Task>();
            for (long k = 0; ; k++)
            {
                var due = TimeSpan.FromSeconds((k * n + i) / rate);
                if (due >= duration) break;
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
                if (clock.Elapsed - due > TimeSpan.FromMilliseconds(5)) Interlocked.Increment(ref lateStarts);
                inFlight.Add(Send(phase, results));
            }
            await Task.WhenAll(inFlight);
        });
        await Task.WhenAll(senders);
        return results.Finish(clock.Elapsed, lateStarts);
    }

    /// <summary>Closed loop over the given dedup keys, in order (a key may repeat: its triggers then join one incident).</summary>
    public async Task<TriggerRun> SendKeys(IReadOnlyList<string> dedupKeys)
    {
        var results = new Results();
        var next = -1;
        var clock = Stopwatch.StartNew();
        var senders = Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            await Task.Yield();
            for (var i = Interlocked.Increment(ref next); i < dedupKeys.Count; i = Interlocked.Increment(ref next))
                await Post(dedupKeys[i], Trigger(dedupKeys[i]), results);
        });
        await Task.WhenAll(senders);
        return results.Finish(clock.Elapsed, lateStarts: 0);
    }

    /// <summary>
    /// Resolves the incidents a run opened, unmeasured. Left open, each would keep a reminder ticking and page
    /// the next escalation level 15 minutes later, loading the service during later runs.
    /// </summary>
    public async Task<TriggerRun> Resolve(IEnumerable<string> dedupKeys)
    {
        var results = new Results();
        var queue = new ConcurrentQueue<string>(dedupKeys);
        var clock = Stopwatch.StartNew();
        var senders = Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            await Task.Yield();
            while (queue.TryDequeue(out var key))
                await Post(key, new { routing_key = options.RoutingKey, event_action = "resolve", dedup_key = key }, results);
        });
        await Task.WhenAll(senders);
        return results.Finish(clock.Elapsed, lateStarts: 0);
    }

    private Task Send(string phase, Results results)
    {
        var dedupKey = $"bench-{_run}-{phase}-{Interlocked.Increment(ref _sequence)}";
        return Post(dedupKey, Trigger(dedupKey), results);
    }

    private object Trigger(string dedupKey) => new
    {
        routing_key = options.RoutingKey,
        event_action = "trigger",
        dedup_key = dedupKey,
        payload = new { summary = $"Benchmark trigger {dedupKey}", source = "escalation-bench", severity = "critical" },
    };

    private async Task Post<T>(string dedupKey, T ev, Results results)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(ev));
        content.Headers.ContentType = Json;

        var sentAt = DateTime.UtcNow;
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.PostAsync("/v2/enqueue", content);
            var latency = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (response.StatusCode == HttpStatusCode.Accepted) results.Accepted.Add(new Accepted(dedupKey, sentAt, latency));
            else results.Error($"HTTP {(int)response.StatusCode}", sentAt);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            results.Error(e.GetType().Name, sentAt);
        }
    }

    private sealed class Results
    {
        public readonly ConcurrentBag<Accepted> Accepted = [];
        private readonly ConcurrentDictionary<string, int> _errors = new();
        private readonly ConcurrentBag<DateTime> _errorsAt = [];

        public void Error(string kind, DateTime sentAtUtc)
        {
            _errors.AddOrUpdate(kind, 1, (_, n) => n + 1);
            _errorsAt.Add(sentAtUtc);
        }

        public TriggerRun Finish(TimeSpan elapsed, int lateStarts) =>
            new([.. Accepted], _errors.Values.Sum(), new Dictionary<string, int>(_errors), elapsed, lateStarts) { ErrorsSentAtUtc = [.. _errorsAt] };
    }
}
