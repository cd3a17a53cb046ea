namespace Escalation.Silo.Deadlines;

/// <summary>
/// What the deadline service of this silo is doing: its work in flight (loads and calls to owners), so that a test on
/// a fake clock can wait for what a step of time set off before it looks; and how many deadlines it holds, of which range.
/// </summary>
public sealed class DeadlineActivity
{
    /// <summary>Deadlines held in memory, falling due before the next load.</summary>
    public int Held { get; internal set; }

    /// <summary>Calls made to owners at their deadlines, since the silo started.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    internal void Called() => Interlocked.Increment(ref _calls);

    /// <summary>The part of the ring this silo owns.</summary>
    public IRingRange? Range { get; internal set; }

    private readonly Lock _lock = new();
    private int _inFlight;
    private long _calls;
    private TaskCompletionSource? _idle;

    public void Started()
    {
        lock (_lock) _inFlight++;
    }

    public void Ended()
    {
        TaskCompletionSource? idle = null;
        lock (_lock)
        {
            if (--_inFlight == 0) (idle, _idle) = (_idle, null);
        }
        idle?.TrySetResult();
    }

    public Task WhenIdle()
    {
        lock (_lock)
        {
            if (_inFlight == 0) return Task.CompletedTask;
            return (_idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }
}
