namespace Escalation.Incidents;

/// <summary>The incidents read model: kept current by the incident grains, queried by the API.</summary>
public interface IIncidentIndex
{
    Task Upsert(IncidentSummary summary);
}
