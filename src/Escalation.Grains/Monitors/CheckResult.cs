namespace Escalation.Monitors;

/// <summary>What one HTTP check found: up, or why not (a status, a timeout, a refused connection).</summary>
/// <param name="StartedAt">The check it answers: a result of an earlier check, arriving late, is passed over.</param>
[GenerateSerializer, Alias("escalation.check-result")]
public sealed record CheckResult(
    [property: Id(0)] DateTimeOffset StartedAt,
    [property: Id(1)] bool Up,
    [property: Id(2)] int? Status,
    [property: Id(3)] string? Error,
    [property: Id(4)] TimeSpan Took);
