namespace Escalation.Rotations;

/// <summary>
/// How overrides change who is on call, and which overrides may not coexist.
/// <para>
/// Precedence, for the overrides active at one instant: the schedule says who would be on call; each replace A→B
/// swaps A for B if A is scheduled (it never follows a chain: a replace of B does not act on B brought in by
/// another replace); then each remove takes its user off; then each add puts its user on, after the others.
/// The conflict rule keeps any person to one override at a time, so in practice the order never decides anything.
/// </para>
/// <para>
/// Conflict rule: two overrides conflict when their [start, end) intervals overlap and they name a person in
/// common, as user_id or replaces_user_id. That covers two replaces of the same person, a replace and a remove of
/// the same person, two adds of the same person, and an add of someone who is also replacing or replacing into
/// someone else. It depends only on the overrides, not on the schedule, so an override accepted today stays
/// valid if the rotation is edited.
/// </para>
/// </summary>
public static class OverrideRules
{
    /// <summary>Who is on call given the scheduled users and the overrides active throughout the moment in question.</summary>
    public static OnCallUsers EffectiveUsers(IReadOnlyList<string> scheduled, IEnumerable<RotationOverride> active)
    {
        var ordered = active.OrderBy(o => o.Start).ThenBy(o => o.Id, StringComparer.Ordinal).ToList();
        var users = scheduled.ToList();
        var applied = new List<string>();

        foreach (var replace in ordered.Where(o => o.Type == OverrideType.Replace))
        {
            var at = scheduled.Contains(replace.ReplacesUserId!) ? users.IndexOf(replace.ReplacesUserId!) : -1;
            if (at < 0) continue;
            users[at] = replace.UserId;
            applied.Add(replace.Id);
        }
        foreach (var remove in ordered.Where(o => o.Type == OverrideType.Remove))
            if (users.RemoveAll(u => u == remove.UserId) > 0) applied.Add(remove.Id);
        foreach (var add in ordered.Where(o => o.Type == OverrideType.Add))
        {
            if (users.Contains(add.UserId)) continue;
            users.Add(add.UserId);
            applied.Add(add.Id);
        }
        return new OnCallUsers(users.Distinct().ToList(), applied);
    }

    /// <summary>
    /// The shift cut where overrides begin or end inside it, each piece with who is on call. Neighbouring pieces
    /// with the same users and the same applied overrides are one piece, so a shift no override touches stays whole.
    /// </summary>
    public static IEnumerable<OnCallPeriod> Apply(Shift shift, IReadOnlyList<RotationOverride> overrides)
    {
        var touching = overrides.Where(o => o.Start < shift.End && o.End > shift.Start).ToList();
        var cuts = touching
            .SelectMany(o => new[] { o.Start, o.End })
            .Where(t => t > shift.Start && t < shift.End)
            .Append(shift.Start)
            .Append(shift.End)
            .Select(t => t.ToUniversalTime())
            .Distinct()
            .Order()
            .ToList();

        OnCallPeriod? pending = null;
        for (var i = 0; i + 1 < cuts.Count; i++)
        {
            var (from, to) = (cuts[i], cuts[i + 1]);
            var on = EffectiveUsers([shift.UserId], touching.Where(o => o.Start <= from && from < o.End));
            if (pending is not null && pending.UserIds.SequenceEqual(on.UserIds) && pending.OverrideIds.SequenceEqual(on.OverrideIds))
            {
                pending = pending with { End = to };
                continue;
            }
            if (pending is not null) yield return pending;
            pending = new OnCallPeriod(shift, from, to, on.UserIds, on.OverrideIds);
        }
        if (pending is not null) yield return pending;
    }

    /// <summary>The overrides in <paramref name="existing"/> that <paramref name="candidate"/> conflicts with (itself excluded by id); empty when it may be added.</summary>
    public static IReadOnlyList<RotationOverride> Conflicts(RotationOverride candidate, IEnumerable<RotationOverride> existing) =>
        existing.Where(o => o.Id != candidate.Id && Overlap(o, candidate) && PeopleNamed(o).Overlaps(PeopleNamed(candidate))).ToList();

    private static bool Overlap(RotationOverride a, RotationOverride b) => a.Start < b.End && b.Start < a.End;

    private static HashSet<string> PeopleNamed(RotationOverride o) =>
        o.ReplacesUserId is { } replaced && o.Type == OverrideType.Replace ? [o.UserId, replaced] : [o.UserId];
}
