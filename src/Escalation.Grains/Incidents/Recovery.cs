namespace Escalation.Incidents;

/// <summary>
/// How an incident recovered, as the responder who resolved it told it: the recovery post's "what was done", "how
/// recovery was confirmed" and "follow-ups". A field left out is read from the incident's custom_details instead.
/// </summary>
[GenerateSerializer, Alias("escalation.recovery")]
public sealed record Recovery(
    [property: Id(0)] string? WhatWasDone,
    [property: Id(1)] string? HowConfirmed,
    [property: Id(2)] string? FollowUps)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => string.IsNullOrWhiteSpace(WhatWasDone) && string.IsNullOrWhiteSpace(HowConfirmed) && string.IsNullOrWhiteSpace(FollowUps);
}
