using Escalation.Configuration;
using Escalation.Rotations;
using Escalation.Storage.Configuration;

namespace Escalation.Tests.Grains;

/// <summary>
/// A weekly rotation of five handing off on Monday at 10:00 in Tokyo, as the first teams run it, and a policy whose
/// first level is that rotation and whose second is @team-backend.
/// </summary>
public static class RotationSetup
{
    public const string RotationId = "backend-weekly";
    public const string ServiceId = "billing";
    public const string Channel = "C0BACKEND01";
    public static readonly string[] Engineers = ["aiko", "ben", "chen", "dara", "emil"];
    public static readonly DateTimeOffset FirstHandoff = new(2026, 1, 5, 10, 0, 0, TimeSpan.FromHours(9));

    /// <summary>The cluster starts on Monday 23 November 2026, 10:00 in Tokyo: a handoff, shift 46, so ben (46 mod 5 = 1).</summary>
    public const string OnCallAtStart = "ben";

    /// <summary>The next handoff, a week after the cluster's start: shift 47, chen.</summary>
    public static readonly DateTimeOffset NextHandoff = EscalationCluster.Start.AddDays(7);

    public static async Task Load(EscalationCluster cluster)
    {
        foreach (var id in Engineers.Append("b1"))
            await cluster.Store.Put(ConfigurationStore.Tables.Users, id, new User(id, id, $"{id}@example.com", null, null, "Asia/Tokyo"));
        await cluster.Store.Put(ConfigurationStore.Tables.Teams, "team-backend", new Team("team-backend", "Backend", ["b1"]));
        await cluster.Store.Put(ConfigurationStore.Tables.Rotations, RotationId,
            new Rotation(RotationId, "Backend weekly", "Asia/Tokyo", RotationType.Weekly, 1, FirstHandoff, Engineers, Channel));
        await cluster.Grains.GetGrain<IRotationGrain>(RotationId).Reschedule();
        await cluster.Store.Put(ConfigurationStore.Tables.Policies, "by-rotation", new EscalationPolicy("by-rotation", "By rotation", 0,
        [
            new EscalationLevel(TimeSpan.FromMinutes(15), [new EscalationTarget(TargetType.Rotation, RotationId)]),
            new EscalationLevel(TimeSpan.FromMinutes(15), [new EscalationTarget(TargetType.Team, "team-backend")]),
        ]));
        await cluster.Store.Put(ConfigurationStore.Tables.Services, ServiceId,
            new Service(ServiceId, "Billing", "by-rotation", "fedcba9876543210fedcba9876543210", null));
    }
}
