using System.Diagnostics;
using System.Net;
using Escalation.Tests.Api;

namespace Escalation.Tests.Outages;

/// <summary>A monitor's steady stream of triggers, each with a dedup key of its own, and every answer it got.</summary>
public sealed class TriggerLoad(HttpClient client, string routingKey, string prefix)
{
    public sealed record Answer(string DedupKey, TimeSpan SentAt, HttpStatusCode Status, string? MediaType, TimeSpan? RetryAfter, string Body);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<Answer> _answers = [];
    private readonly CancellationTokenSource _stop = new();
    private int _next;
    private Task? _running;

    /// <summary>Time since the load was created, on the same clock as <see cref="Answer.SentAt"/>.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<Answer> Answers
    {
        get { lock (_answers) return [.. _answers]; }
    }

    public void Start(int senders, TimeSpan gap) =>
        _running = Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var key = $"{prefix}-{Interlocked.Increment(ref _next):D5}";
                var answer = await Send(key);
                lock (_answers) _answers.Add(answer);
                await Task.Delay(gap);
            }
        })));

    public async Task Stop()
    {
        await _stop.CancelAsync();
        if (_running is not null) await _running;
    }

    public async Task<Answer> Send(string dedupKey)
    {
        var sentAt = _clock.Elapsed;
        using var response = await client.PostJson("/v2/enqueue", OnCallApi.Trigger(routingKey, dedupKey, $"Load {dedupKey}"));
        return new Answer(dedupKey, sentAt, response.StatusCode, response.Content.Headers.ContentType?.MediaType,
            response.Headers.RetryAfter?.Delta, await response.Content.ReadAsStringAsync());
    }
}
