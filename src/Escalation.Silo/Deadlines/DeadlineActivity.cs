namespace Escalation.Silo.Deadlines;

/// <summary>
/// Counts the deadline service's work in flight on this silo (loads and calls to owners), so that a test on a fake
/// clock can wait for what a step of time set off before it looks.
/// </summary>
public sealed class DeadlineActivity
{
    private readonly Lock _lock = new();
    private int _inFlight;
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
