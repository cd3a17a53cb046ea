namespace Escalation.Monitors;

/// <summary>
/// Runs HTTP checks outside any grain turn: <see cref="Start"/> returns at once, and the result is reported to the
/// monitor's grain (<see cref="IMonitorGrain.CheckDone"/>).
/// </summary>
public interface IHttpChecker
{
    void Start(string monitorId, HttpCheckSpec check, DateTimeOffset startedAt);
}
