namespace Escalation.Storage.Incidents;

/// <summary>One incident as the incidents list shows it, read from the read model.</summary>
public sealed record IncidentListItem(
    string Id,
    string ServiceId,
    string DedupKey,
    string Title,
    string Severity,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int AlertCount,
    int Level,
    int Loop,
    DateTimeOffset? NextEscalationAt,
    string Priority,
    string Route);

/// <summary>One page of <see cref="IncidentListItem"/>s; <c>More</c> when rows follow it.</summary>
public sealed record IncidentPage(IReadOnlyList<IncidentListItem> Incidents, int Limit, int Offset, bool More);
