using Escalation.Configuration;

namespace Escalation.Escalations;

/// <summary>
/// Who a level went to, short enough for a timeline line and a Slack thread reply: "level 2: @team-backend (aiko,
/// ben, carol, …), dan". A person targeted directly is named; a team or rotation is shown with the people it stood for.
/// </summary>
public static class LevelSummary
{
    private const int TargetsShown = 3;
    private const int PeopleShown = 3;

    /// <param name="level">One-based, as users see it.</param>
    /// <param name="names">Display names by user id; an id without one is shown as itself.</param>
    public static string Of(int level, IReadOnlyList<TargetPeople> byTarget, IReadOnlyDictionary<string, string> names)
    {
        var staffed = byTarget.Where(t => t.UserIds.Count > 0).ToList();
        if (staffed.Count == 0) return $"level {level}";
        var shown = string.Join(", ", staffed.Take(TargetsShown).Select(t => Target(t, names)));
        var more = staffed.Count > TargetsShown ? $", +{staffed.Count - TargetsShown} more" : "";
        return $"level {level}: {shown}{more}";
    }

    private static string Target(TargetPeople target, IReadOnlyDictionary<string, string> names)
    {
        if (target.Target.Type == TargetType.User) return Name(target.Target.Id, names);
        var people = string.Join(", ", target.UserIds.Take(PeopleShown).Select(id => Name(id, names)));
        return $"@{target.Target.Id} ({people}{(target.UserIds.Count > PeopleShown ? ", …" : "")})";
    }

    private static string Name(string userId, IReadOnlyDictionary<string, string> names) =>
        names.TryGetValue(userId, out var name) && !string.IsNullOrWhiteSpace(name) ? name : userId;
}
