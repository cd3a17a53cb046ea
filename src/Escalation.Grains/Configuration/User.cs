namespace Escalation.Configuration;

[GenerateSerializer, Alias("escalation.user")]
public sealed record User(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Email,
    [property: Id(3)] string? Phone,
    [property: Id(4)] string? SlackUserId,
    [property: Id(5)] string TimeZone);
