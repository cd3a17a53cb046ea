namespace Escalation.Deadlines;

/// <summary>
/// A command that fails after changing a grain's state in memory (a write that failed, say) must not leave that
/// change behind unsaved: the activation is dropped, and the next call starts again from what was stored. A grain
/// that writes on deactivation is told through <paramref name="failed"/>, so that it writes nothing the command left.
/// </summary>
public static class CommandGuard
{
    public static async Task<T> Guarded<T>(this IGrainBase grain, Func<Task<T>> command, Action? failed = null)
    {
        try
        {
            return await command();
        }
        catch
        {
            failed?.Invoke();
            grain.DeactivateOnIdle();
            throw;
        }
    }

    public static Task Guarded(this IGrainBase grain, Func<Task> command, Action? failed = null) => grain.Guarded(async () =>
    {
        await command();
        return true;
    }, failed);
}
