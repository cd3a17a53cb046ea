namespace Escalation.Configuration;

/// <summary>What incident grains need to know of the configuration.</summary>
public interface IEscalationDirectory
{
    Task<Service?> FindService(string id);
    Task<EscalationPolicy?> FindPolicy(string id);

    /// <summary>The users the targets stand for right now, teams expanded, each once, in target order.</summary>
    Task<IReadOnlyList<string>> ResolveUsers(IReadOnlyList<EscalationTarget> targets);
}
