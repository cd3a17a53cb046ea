using Escalation.Keys;

namespace Escalation.Practice;

/// <summary>
/// The acknowledgement SLO of one service, keyed by the service id (<see cref="SloKeys"/>): it looks at the burn rates
/// every minute on the deadline engine and keeps one incident open on the service while a burn-rate rule fires.
/// </summary>
[Alias("escalation.ISloGrain")]
public interface ISloGrain : IGrainWithStringKey
{
    /// <summary>
    /// The service was written or deleted: look again now, and keep watching while it declares an SLO.
    /// <paramref name="declared"/> is whether the writer's version declares one (this silo's cache may be older).
    /// </summary>
    [Alias("watch")] Task Watch(bool declared);

    /// <summary>The incident the SLO keeps open while it burns; null when none is.</summary>
    [Alias("alert")] Task<string?> AlertIncident();
}

public static class SloKeys
{
    public static string For(string serviceId) => GrainKey.Escape(serviceId);

    public static string IdOf(string key) => GrainKey.Unescape(key);
}
