namespace Escalation.Deadlines;

/// <summary>
/// A command that fails after changing a grain's state in memory (a write that failed, say) must not leave that
/// change behind unsaved: the activation is dropped, and the next call starts again from what was stored.
/// </summary>
public static class CommandGuard
{
    public static async Task<T> Guarded<T>(this IGrainBase grain, Func<Task<T>> command)
    {
        try
        {
            return await command();
        }
        catch
        {
            grain.DeactivateOnIdle();
            throw;
        }
    }

    public static Task Guarded(this IGrainBase grain, Func<Task> command) => grain.Guarded(async () =>
    {
        await command();
        return true;
    });
}
