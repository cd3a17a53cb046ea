namespace Escalation.Incidents;

/// <summary>The incidents read model: kept current by the incident grains, queried by the API.</summary>
public interface IIncidentIndex
{
    Task Upsert(IncidentSummary summary);

    /// <summary>
    /// Incidents whose stored state was written since <paramref name="since"/> at a newer version than their row: an
    /// upsert after a state write failed. At most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<string>> Behind(DateTimeOffset since, int limit);

    /// <summary>The ids of the incidents of these services that are not resolved, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> OpenIn(IReadOnlyCollection<string> serviceIds, int limit);
}
