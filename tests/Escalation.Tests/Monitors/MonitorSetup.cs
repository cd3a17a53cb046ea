using Escalation.Monitors;
using Escalation.Storage.Configuration;
using Escalation.Tests.Grains;

namespace Escalation.Tests.Monitors;

public static class MonitorSetup
{
    public static async Task<IMonitorGrain> Watch(EscalationCluster cluster, ServiceMonitor monitor)
    {
        await cluster.Store.Put(ConfigurationStore.Tables.Monitors, monitor.Id, monitor);
        var grain = cluster.Grains.GetGrain<IMonitorGrain>(MonitorKeys.For(monitor.Id));
        await grain.Watch();
        return grain;
    }

    public static async Task<Incidents.IncidentState?> Incident(EscalationCluster cluster, string? id) =>
        id is null ? null : await cluster.Grains.GetGrain<Incidents.IIncidentGrain>(id).Get();
}
