namespace Escalation.Configuration;

[GenerateSerializer, Alias("escalation.team")]
public sealed record Team(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<string> Members);
