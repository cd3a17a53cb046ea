namespace Escalation.Incidents;

/// <summary>One alert that opens an incident or adds to the open one with the same dedup key.</summary>
[GenerateSerializer, Alias("escalation.incident-trigger")]
public sealed record IncidentTrigger(
    [property: Id(0)] string ServiceId,
    [property: Id(1)] string DedupKey,
    [property: Id(2)] string Title,
    [property: Id(3)] Severity Severity,
    [property: Id(4)] string? Source,
    [property: Id(5)] string? Component,
    [property: Id(6)] string? Group,
    [property: Id(7)] string? Class,
    [property: Id(8)] string? DetailsJson,
    [property: Id(9)] IReadOnlyList<IncidentLink> Links,
    [property: Id(10)] string Actor);

[GenerateSerializer, Alias("escalation.incident-link")]
public sealed record IncidentLink(
    [property: Id(0)] string Href,
    [property: Id(1)] string? Text);
