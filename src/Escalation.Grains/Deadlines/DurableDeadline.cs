namespace Escalation.Deadlines;

/// <summary>
/// A grain's next deadline, kept the way every deadline here is kept: a precise grain timer for when the grain is
/// active, and a durable reminder as the backstop that reactivates it after a restart or the loss of a silo.
/// Both call the same idempotent callback, which decides what is due.
/// </summary>
public sealed class DurableDeadline(IGrainBase grain, string reminderName, TimeSpan backstopPeriod, Func<Task> callback)
{
    /// <summary>Timers longer than this are re-armed on the way: a long wait need not fit one timer.</summary>
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(1);

    private IGrainTimer? _timer;
    private bool _backstopRegistered;

    public string ReminderName => reminderName;

    /// <summary>Learns whether the reminder exists already, so that activating does not write it again.</summary>
    public async Task Load() => _backstopRegistered = await grain.GetReminder(reminderName) is not null;

    /// <summary>Called when the reminder fires: it exists.</summary>
    public void BackstopFired() => _backstopRegistered = true;

    /// <summary>Arms the timer for <paramref name="due"/> (disarms it when null) and makes sure the reminder exists.</summary>
    public async Task ArmAt(DateTimeOffset? due, DateTimeOffset now)
    {
        await EnsureBackstop();
        if (due is null)
        {
            DisposeTimer();
            return;
        }
        var dueIn = due.Value - now;
        if (dueIn < TimeSpan.Zero) dueIn = TimeSpan.Zero;
        if (dueIn > LongestTimer) dueIn = LongestTimer;
        if (_timer is null)
        {
            _timer = grain.RegisterGrainTimer(callback, new GrainTimerCreationOptions
            {
                DueTime = dueIn,
                Period = Timeout.InfiniteTimeSpan,
                KeepAlive = true,
            });
        }
        else
        {
            _timer.Change(dueIn, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Registers the reminder if it is not there yet. Call before anything that it must recover.</summary>
    public async Task EnsureBackstop()
    {
        if (_backstopRegistered) return;
        await grain.RegisterOrUpdateReminder(reminderName, backstopPeriod, backstopPeriod);
        _backstopRegistered = true;
    }

    /// <summary>Nothing is left to wait for: drops the timer and the reminder.</summary>
    public async Task Retire()
    {
        DisposeTimer();
        if (!_backstopRegistered) return;
        if (await grain.GetReminder(reminderName) is { } reminder)
            await grain.UnregisterReminder(reminder);
        _backstopRegistered = false;
    }

    private void DisposeTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
