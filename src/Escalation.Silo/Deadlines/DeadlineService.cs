using Escalation.Telemetry;
using Escalation.Deadlines;
using Escalation.Storage.Deadlines;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Deadlines;

/// <summary>
/// The deadlines of one silo's range of the consistent ring. Every <see cref="DeadlineOptions.Window"/> it loads, in
/// one query, the deadlines of its range falling due before the next load (overdue ones included); writers tell it of
/// the ones they store meanwhile. It holds them in a queue with one timer at the earliest, and at each instant calls
/// the owner (<see cref="IDeadlineOwner.DeadlineDue"/>), which answers its next deadline. When a silo joins or leaves,
/// the ranges move: a service drops what left its range and loads what came to it at once.
/// </summary>
public sealed partial class DeadlineService : GrainService, IDeadlineService
{
    private readonly DeadlineRows _rows;
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _clock;
    private readonly DeadlineOptions _options;
    private readonly DeadlineScheduler _scheduler;
    private readonly DeadlineActivity _activity;
    private readonly EscalationMetrics _metrics;
    private readonly ILogger<DeadlineService> _logger;
    private readonly Lock _lock = new();
    private readonly DeadlineQueue _queue = new();
    private readonly SemaphoreSlim _calls;
    private ITimer? _sweep;
    private ITimer? _next;
    private DateTimeOffset _horizon = DateTimeOffset.MinValue;
    private IRingRange _range = RangeFactory.CreateRange([]);

    public DeadlineService(GrainId id, Orleans.Runtime.Silo silo, ILoggerFactory loggers, DeadlineRows rows, IGrainFactory grains, TimeProvider clock,
        IOptions<DeadlineOptions> options, DeadlineScheduler scheduler, DeadlineActivity activity, EscalationMetrics metrics) : base(id, silo, loggers)
    {
        (_rows, _grains, _clock, _options, _scheduler, _activity, _metrics) = (rows, grains, clock, options.Value, scheduler, activity, metrics);
        _logger = loggers.CreateLogger<DeadlineService>();
        _calls = new SemaphoreSlim(_options.MaxConcurrentCalls);
    }

    public override async Task Start()
    {
        await base.Start();
        lock (_lock) (_range, _horizon) = (RingRange, _clock.GetUtcNow() + _options.Window * 1.25);
        _scheduler.Attach(this);
        _next = _clock.CreateTimer(_ => FireDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        // The first sweep now; each sweep sets the next one a window later (not a periodic timer: a clock that jumps
        // sweeps once, not once per window it jumped over).
        _sweep = _clock.CreateTimer(_ => Sweep().Ignore(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _sweep.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    public override async Task Stop()
    {
        _scheduler.Attach(null);
        _sweep?.Dispose();
        _next?.Dispose();
        await base.Stop();
    }

    public override async Task OnRangeChange(IRingRange oldRange, IRingRange newRange, bool increased)
    {
        await base.OnRangeChange(oldRange, newRange, increased);
        lock (_lock)
        {
            _range = newRange;
            _queue.RemoveWhere(grain => !newRange.InRange(grain));
        }
        LogRange(newRange.ToString() ?? "", increased);
        // What came to this silo (a lost silo's part) is loaded at once, not at the next window.
        if (increased) await Sweep();
    }

    public Task Schedule(IReadOnlyList<ScheduledDeadline> deadlines)
    {
        Accept(deadlines);
        return Task.CompletedTask;
    }

    /// <summary>Takes the deadlines of this service's range in and gives back the others.</summary>
    internal IReadOnlyList<ScheduledDeadline> TakeOwn(IReadOnlyList<ScheduledDeadline> deadlines)
    {
        List<ScheduledDeadline>? others = null;
        lock (_lock)
        {
            foreach (var d in deadlines)
            {
                if (_range.InRange(d.Grain)) _queue.Set(d.Grain, d.At, d.Version, _horizon);
                else (others ??= []).Add(d);
            }
        }
        Rearm();
        return others ?? (IReadOnlyList<ScheduledDeadline>)[];
    }

    private void Accept(IReadOnlyList<ScheduledDeadline> deadlines)
    {
        lock (_lock)
        {
            foreach (var d in deadlines)
                if (_range.InRange(d.Grain)) _queue.Set(d.Grain, d.At, d.Version, _horizon);
        }
        Rearm();
    }

    /// <summary>One query for the range: every deadline before the next sweep and a quarter of a window more.</summary>
    private async Task Sweep()
    {
        var started = _clock.GetUtcNow();
        _activity.Started();
        try
        {
            IRingRange range;
            var horizon = started + _options.Window * 1.25;
            lock (_lock)
            {
                range = _range;
                // Raised before the query: a deadline committed after its snapshot is told to us, and must be kept.
                if (horizon > _horizon) _horizon = horizon;
            }
            var due = await _rows.DueBefore(range, horizon, StoppedCancellationTokenSource.Token);
            lock (_lock)
            {
                foreach (var d in due)
                    if (_range.InRange(d.Grain)) _queue.Set(d.Grain, d.At, d.Version, _horizon);
                _queue.Prune();
            }
            LogSwept(due.Count);
            Rearm();
        }
        catch (Exception e) when (!StoppedCancellationTokenSource.IsCancellationRequested)
        {
            // The database is away, say: the deadlines held still fire; the next sweep tries again.
            _logger.LogWarning(e, "Could not load the deadlines of this silo's range; trying again at the next sweep");
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            // A window after this one began: at once if the clock went past that meanwhile.
            var wait = started + _options.Window - _clock.GetUtcNow();
            if (!StoppedCancellationTokenSource.IsCancellationRequested) _sweep?.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
            _activity.Ended();
        }
    }

    /// <summary>Points the timer at the earliest deadline; under the lock, so that a later one never overrides an earlier.</summary>
    private void Rearm()
    {
        lock (_lock)
        {
            (_activity.Held, _activity.Range) = (_queue.Count, _range);
            if (_queue.Next is not { } at) return;
            var wait = at - _clock.GetUtcNow();
            _next?.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
        }
    }

    private void FireDue()
    {
        List<(GrainId Grain, long Version, DateTimeOffset At)> due;
        lock (_lock) due = _queue.TakeDue(_clock.GetUtcNow());
        foreach (var (grain, version, at) in due) Call(grain, version, at).Ignore();
        Rearm();
    }

    private async Task Call(GrainId grain, long version, DateTimeOffset at)
    {
        _activity.Started();
        try
        {
            await _calls.WaitAsync(StoppedCancellationTokenSource.Token);
            try
            {
                _activity.Called();
                _metrics.DeadlineLateness(_clock.GetUtcNow() - at);
                var next = await _grains.GetGrain<IDeadlineOwner>(grain).DeadlineDue();
                Accept([new ScheduledDeadline(grain, next.At, next.Version)]);
            }
            finally
            {
                _calls.Release();
            }
        }
        catch (Exception e) when (!StoppedCancellationTokenSource.IsCancellationRequested)
        {
            _logger.LogWarning(e, "The deadline of {Grain} failed; trying again in {RetryAfter}", grain, _options.RetryAfter);
            Accept([new ScheduledDeadline(grain, _clock.GetUtcNow() + _options.RetryAfter, version)]);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _activity.Ended();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deadline range now {Range} (grew: {Increased})")]
    private partial void LogRange(string range, bool increased);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deadline sweep loaded {Count} deadline(s)")]
    private partial void LogSwept(int count);
}
