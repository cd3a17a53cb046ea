using Escalation.Configuration;
using Escalation.Rotations;

namespace Escalation.Escalations;

/// <summary>Who each target of one escalation level stood for; from that, the people it pages and the targets that stood for nobody.</summary>
public sealed record ResolvedTargets(IReadOnlyList<TargetPeople> ByTarget)
{
    public IReadOnlyList<string> Users => ByTarget.SelectMany(t => t.UserIds).Distinct().ToList();

    public IReadOnlyList<string> Unstaffed => ByTarget.Where(t => t.UserIds.Count == 0).Select(t => t.DescribeEmpty()).ToList();
}

/// <summary>One target of a level and the people it stood for then, in order.</summary>
public sealed record TargetPeople(EscalationTarget Target, IReadOnlyList<string> UserIds)
{
    public string DescribeEmpty() => Target.Type switch
    {
        TargetType.Rotation => $"no one on call for rotation {Target.Id}",
        TargetType.Team => $"team {Target.Id} has no members",
        _ => $"{Target.Type.ToString().ToLowerInvariant()} {Target.Id} is unknown",
    };
}

/// <summary>
/// Turns a level's targets into the people to page at one moment: a user is themself, a team is its members, a
/// rotation is whoever is on call in it then, overrides applied. Each person once, in target order.
/// </summary>
public sealed class TargetResolver(IEscalationDirectory directory, IGrainFactory grains)
{
    public async Task<ResolvedTargets> Resolve(IReadOnlyList<EscalationTarget> targets, DateTimeOffset at)
    {
        var byTarget = new List<TargetPeople>();
        foreach (var target in targets)
        {
            var found = target.Type switch
            {
                TargetType.User => [target.Id],
                TargetType.Team => (await directory.FindTeam(target.Id))?.Members ?? [],
                TargetType.Rotation => (await grains.GetGrain<IRotationGrain>(RotationKeys.For(target.Id)).OnCallAt(at))?.UserIds ?? [],
                _ => [],
            };
            byTarget.Add(new TargetPeople(target, found));
        }
        return new ResolvedTargets(byTarget);
    }
}
