namespace Escalation.Incidents;

/// <summary>
/// The <c>incidents</c> table: one row an incident, holding its state, the columns the list filters on and its next
/// deadline, written together in one statement and guarded by the version. Dedup is its unique index on the service
/// and dedup key of the incidents that are not resolved.
/// </summary>
public interface IIncidentStore
{
    Task<StoredIncident?> Load(string incidentId);

    /// <summary>Writes the row (and what the trim moves to the archive) once its batch has committed.</summary>
    Task<IncidentWriteOutcome> Write(IncidentWrite write);

    /// <summary>The incident open for this dedup key of this service, if any.</summary>
    Task<string?> OpenFor(string serviceId, string dedupKey);

    /// <summary>The ids of the incidents of these services that are not resolved, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> OpenIn(IReadOnlyCollection<string> serviceIds, int limit);
}

/// <param name="NextDeadline">the deadline written with the state</param>
public sealed record StoredIncident(IncidentState State, DateTimeOffset? NextDeadline);

/// <param name="Grain">the incident grain, whose id places the row's deadline on the ring</param>
/// <param name="ExpectedVersion">the version stored now, 0 for a new incident; the state carries the one it becomes</param>
/// <param name="NextDeadline">when the incident must next act, kept as data for the deadline service</param>
/// <param name="Archive">timeline entries and notifications leaving the state, written in the same batch</param>
public sealed record IncidentWrite(GrainId Grain, IncidentState State, long ExpectedVersion, DateTimeOffset UpdatedAt,
    DateTimeOffset? NextDeadline, IncidentTrim? Archive);

public enum IncidentWriteOutcome
{
    Written,
    /// <summary>The row is at another version: another activation wrote it meanwhile.</summary>
    Stale,
    /// <summary>A new incident whose service and dedup key already have an open one: nothing was written.</summary>
    DuplicateOpen,
}
