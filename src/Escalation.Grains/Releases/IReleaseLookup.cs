namespace Escalation.Releases;

/// <summary>The production releases of a service, as the change events hold them.</summary>
public interface IReleaseLookup
{
    /// <summary>The latest production release of the service whose watch covers <paramref name="at"/>; null when none does.</summary>
    Task<ReleaseLink?> WatchedAt(string serviceId, DateTimeOffset at);

    /// <summary>How many incidents the service opened since <paramref name="since"/>, for a release check.</summary>
    Task<int> IncidentsSince(string serviceId, DateTimeOffset since);
}
