namespace Escalation.Routing;

/// <summary>How bad an incident is: P1 (everyone blocked, billing broken, the core experience stopped) to P4 (FYI).</summary>
[GenerateSerializer, Alias("escalation.priority")]
public enum Priority
{
    P1 = 1,
    P2 = 2,
    P3 = 3,
    P4 = 4,
}
