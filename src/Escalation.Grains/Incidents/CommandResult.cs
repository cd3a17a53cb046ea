namespace Escalation.Incidents;

[GenerateSerializer, Alias("escalation.command-outcome")]
public enum CommandOutcome
{
    Done,
    NotFound,
    Conflict,
}

[GenerateSerializer, Alias("escalation.command-result")]
public sealed record CommandResult(
    [property: Id(0)] CommandOutcome Outcome,
    [property: Id(1)] string? Message)
{
    public static CommandResult Done { get; } = new(CommandOutcome.Done, null);
    public static CommandResult NotFound(string id) => new(CommandOutcome.NotFound, $"Incident '{id}' does not exist.");
    public static CommandResult Conflict(string message) => new(CommandOutcome.Conflict, message);
}

[GenerateSerializer, Alias("escalation.trigger-outcome")]
public enum TriggerOutcome
{
    Opened,
    AlertAdded,
    /// <summary>The incident is resolved: the caller must open a new one.</summary>
    Closed,
    /// <summary>A new incident lost the race for its dedup key to another one: the caller must look it up again.</summary>
    Duplicate,
}
