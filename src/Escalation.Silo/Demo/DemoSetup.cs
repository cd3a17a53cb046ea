using Escalation.Api.Configuration;
using Escalation.Configuration;
using Escalation.Rotations;
using Escalation.Storage.Configuration;

namespace Escalation.Silo.Demo;

/// <summary>The on-call setup the embedded default starts with, so that there is something to page.</summary>
public static class DemoSetup
{
    public const string ServiceId = "api";
    public const string RotationId = "backend-weekly";

    /// <summary>The first teams hand off every Monday at 10:00 in Tokyo; 5 January 2026 was such a Monday.</summary>
    private static readonly DateTimeOffset FirstHandoff = new(2026, 1, 5, 10, 0, 0, TimeSpan.FromHours(9));

    private static readonly (string Id, string Name, string Phone, string Slack)[] Engineers =
    [
        ("aiko", "Aiko Tanaka", "+819012340001", "U0000AIKO"),
        ("ben", "Ben Carter", "+819012340002", "U00000BEN"),
        ("chen", "Chen Wei", "+819012340003", "U0000CHEN"),
        ("dara", "Dara Okafor", "+819012340004", "U0000DARA"),
        ("emil", "Emil Novak", "+819012340005", "U0000EMIL"),
    ];

    /// <summary>Loads the demo once; returns the api service (existing or new), whose integration key is printed.</summary>
    public static async Task<Service> Ensure(ConfigurationStore store, IGrainFactory grains)
    {
        if (await store.FindService(ServiceId) is { } existing) return existing;

        foreach (var (id, name, phone, slack) in Engineers)
            await store.Put(ConfigurationStore.Tables.Users, id, new User(id, name, $"{id}@example.com", phone, slack, "Asia/Tokyo"));
        await store.Put(ConfigurationStore.Tables.Users, "lee", new User("lee", "Lee Morgan", "lee@example.com", null, null, "Asia/Tokyo"));

        await store.Put(ConfigurationStore.Tables.Teams, "team-backend",
            new Team("team-backend", "Backend", Engineers.Select(e => e.Id).ToList()));
        await store.Put(ConfigurationStore.Tables.Teams, "leadership", new Team("leadership", "Leadership", ["lee"]));

        await store.Put(ConfigurationStore.Tables.Rotations, RotationId, new Rotation(RotationId, "Backend weekly", "Asia/Tokyo",
            RotationType.Weekly, 1, FirstHandoff, Engineers.Select(e => e.Id).ToList(), "C0BACKEND01"));
        await grains.GetGrain<IRotationGrain>(RotationKeys.For(RotationId)).Reschedule();

        var fifteenMinutes = TimeSpan.FromMinutes(15);
        await store.Put(ConfigurationStore.Tables.Policies, "default", new EscalationPolicy("default", "Default", 0,
        [
            new EscalationLevel(fifteenMinutes, [new EscalationTarget(TargetType.Rotation, RotationId)]),
            new EscalationLevel(fifteenMinutes, [new EscalationTarget(TargetType.Team, "team-backend")]),
            new EscalationLevel(fifteenMinutes, [new EscalationTarget(TargetType.Team, "leadership")]),
        ]));

        var service = new Service(ServiceId, "API", "default", ServiceEndpoints.NewIntegrationKey(), null, SlackChannel: "C0INCIDENTS");
        await store.Put(ConfigurationStore.Tables.Services, ServiceId, service);
        return service;
    }
}
