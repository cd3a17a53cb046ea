using Escalation.Routing;

namespace Escalation.Incidents;

/// <summary>
/// One alert that opens an incident or adds to the open one with the same dedup key, as decided by
/// <see cref="AlertRouting"/>: its priority, the route that priority takes on the service (null: the service's
/// route for it, read by the incident; a null priority is the severity's), and the rule that suppressed it, if one did.
/// </summary>
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
    [property: Id(10)] string Actor,
    [property: Id(11)] Priority? Priority = null,
    [property: Id(12)] PriorityRoute? Route = null,
    [property: Id(13)] string? PriorityReason = null,
    [property: Id(14)] string? SuppressedBy = null,
    [property: Id(15)] IReadOnlyDictionary<string, string>? Labels = null);

[GenerateSerializer, Alias("escalation.incident-link")]
public sealed record IncidentLink(
    [property: Id(0)] string Href,
    [property: Id(1)] string? Text);
