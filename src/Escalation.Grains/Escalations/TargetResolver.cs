using Escalation.Configuration;
using Escalation.Rotations;

namespace Escalation.Escalations;

/// <summary>The people one escalation level pages, the targets that stood for nobody, and who each target stood for.</summary>
public sealed record ResolvedTargets(IReadOnlyList<string> Users, IReadOnlyList<string> Unstaffed, IReadOnlyList<TargetPeople> ByTarget);

/// <summary>One target of a level and the people it stood for then, in order.</summary>
public sealed record TargetPeople(EscalationTarget Target, IReadOnlyList<string> UserIds);

/// <summary>
/// Turns a level's targets into the people to page at one moment: a user is themself, a team is its members, a
/// rotation is whoever is on call in it then, overrides applied. Each person once, in target order.
/// </summary>
public sealed class TargetResolver(IEscalationDirectory directory, IGrainFactory grains)
{
    public async Task<ResolvedTargets> Resolve(IReadOnlyList<EscalationTarget> targets, DateTimeOffset at)
    {
        var users = new List<string>();
        var unstaffed = new List<string>();
        var byTarget = new List<TargetPeople>();
        foreach (var target in targets)
        {
            var found = target.Type switch
            {
                TargetType.User => [target.Id],
                TargetType.Team => (await directory.FindTeam(target.Id))?.Members ?? [],
                TargetType.Rotation => (await grains.GetGrain<IRotationGrain>(target.Id).OnCallAt(at))?.UserIds ?? [],
                _ => [],
            };
            if (found.Count == 0) unstaffed.Add(Describe(target));
            users.AddRange(found);
            byTarget.Add(new TargetPeople(target, found));
        }
        return new ResolvedTargets(users.Distinct().ToList(), unstaffed, byTarget);
    }

    private static string Describe(EscalationTarget target) => target.Type switch
    {
        TargetType.Rotation => $"no one on call for rotation {target.Id}",
        TargetType.Team => $"team {target.Id} has no members",
        _ => $"{target.Type.ToString().ToLowerInvariant()} {target.Id} is unknown",
    };
}
