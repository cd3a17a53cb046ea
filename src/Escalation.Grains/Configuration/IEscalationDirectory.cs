using Escalation.Rotations;

namespace Escalation.Configuration;

/// <summary>What grains need to know of the configuration.</summary>
public interface IEscalationDirectory
{
    Task<Service?> FindService(string id);
    Task<EscalationPolicy?> FindPolicy(string id);
    Task<Team?> FindTeam(string id);
    Task<User?> FindUser(string id);

    /// <summary>The rotation as stored now, not cached: its grain schedules handoffs from it.</summary>
    Task<Rotation?> LoadRotation(string id);

    /// <summary>The heartbeat or HTTP check as stored now, not cached: its grain schedules checks from it.</summary>
    Task<Monitors.ServiceMonitor?> LoadMonitor(string id);
}
