using Escalation.Incidents;
using Escalation.Routing;

namespace Escalation.Practice;

/// <summary>The incidents of one service and priority opened since a moment, as stored, for its SLO.</summary>
public interface IServiceIncidents
{
    Task<IReadOnlyList<IncidentState>> OpenedSince(string serviceId, Priority priority, DateTimeOffset since, int limit);
}
