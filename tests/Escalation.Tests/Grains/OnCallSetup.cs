using Escalation.Incidents;
using Escalation.Configuration;
using Escalation.Practice;
using Escalation.Storage.Configuration;

namespace Escalation.Tests.Grains;

/// <summary>
/// The on-call setup the grain tests page: one engineer, then @team-backend, then leadership, 15 minutes apart. Its
/// service owes no status updates and has no response targets, so that only escalation acts on its incidents
/// (tests/Practice covers those, with the defaults).
/// </summary>
public static class OnCallSetup
{
    public const string ServiceId = "checkout";
    public static readonly TimeSpan Delay = TimeSpan.FromMinutes(15);

    /// <summary>A critical alert from a monitor on the service, under <paramref name="dedupKey"/>.</summary>
    public static IncidentTrigger TriggerFor(string dedupKey) =>
        new(ServiceId, dedupKey, $"{dedupKey} is failing", Severity.Critical, "monitor", null, null, null, null, [], "test");

    public static readonly ResponseTargets NoTargets = new(ResponseTarget.None, ResponseTarget.None, ResponseTarget.None, ResponseTarget.None);

    public static async Task Load(ConfigurationStore store, TimeSpan? acknowledgementTimeout = null, int repeat = 0)
    {
        foreach (var id in (string[])["oncall", "b1", "b2", "boss"])
            await store.Put(ConfigurationStore.Tables.Users, id, new User(id, id, $"{id}@example.com", null, null, "Asia/Tokyo"));
        await store.Put(ConfigurationStore.Tables.Teams, "team-backend", new Team("team-backend", "Backend", ["b1", "b2"]));
        await store.Put(ConfigurationStore.Tables.Teams, "leadership", new Team("leadership", "Leadership", ["boss"]));
        await store.Put(ConfigurationStore.Tables.Policies, "default", new EscalationPolicy("default", "Default", repeat,
        [
            new EscalationLevel(Delay, [new EscalationTarget(TargetType.User, "oncall")]),
            new EscalationLevel(Delay, [new EscalationTarget(TargetType.Team, "team-backend")]),
            new EscalationLevel(Delay, [new EscalationTarget(TargetType.Team, "leadership")]),
        ]));
        await store.Put(ConfigurationStore.Tables.Services, ServiceId,
            new Service(ServiceId, "Checkout", "default", "0123456789abcdef0123456789abcdef", acknowledgementTimeout,
                ResponseTargets: NoTargets, StatusUpdates: new StatusUpdatePolicy([])));
    }
}
