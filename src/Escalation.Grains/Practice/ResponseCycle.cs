namespace Escalation.Practice;

/// <summary>
/// One round of paging: the first from the incident's opening, another each time an acknowledgement times out and the
/// incident is paged again. Its first response is the acknowledgement, or the resolution when nobody acknowledged.
/// </summary>
[GenerateSerializer, Alias("escalation.response-cycle")]
public sealed record ResponseCycle
{
    [Id(0)] public int Cycle { get; init; }
    /// <summary>When its paging began: the opening, a re-trigger, or the end of a maintenance hold nobody was paged in.</summary>
    [Id(1)] public DateTimeOffset StartedAt { get; set; }
    [Id(2)] public DateTimeOffset? RespondedAt { get; set; }
    [Id(3)] public string? RespondedBy { get; set; }
}
