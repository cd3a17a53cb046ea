namespace Escalation.Configuration;

[GenerateSerializer, Alias("escalation.service")]
public sealed record Service(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string EscalationPolicyId,
    [property: Id(3)] string IntegrationKey,
    [property: Id(4)] TimeSpan? AcknowledgementTimeout);
