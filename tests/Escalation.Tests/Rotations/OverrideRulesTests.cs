using Escalation.Rotations;
using static Escalation.Tests.Rotations.Rotation;

namespace Escalation.Tests.Rotations;

/// <summary>
/// Overrides are written "id type user [replaced] from to", times as "MM-ddTHH" UTC in 2026. The rotation is
/// Asia/Tokyo weekly from Monday 2026-03-02 10:00 (01:00Z): u0 until 03-09T01, u1 until 03-16T01, u4 the week before.
/// </summary>
public class OverrideRulesTests
{
    private static readonly RotationTimeline Tokyo = Timeline("Asia/Tokyo", RotationType.Weekly, 1, "2026-03-02T10:00:00+09:00");

    [Theory]
    [InlineData("nothing overridden: the scheduled user", new string[0], "u0", "")]
    [InlineData("replace: the replacement instead", new[] { "o1 replace u7 u0 03-01T00 03-10T00" }, "u7", "o1")]
    [InlineData("replace of someone not scheduled: no effect", new[] { "o1 replace u7 u3 03-01T00 03-10T00" }, "u0", "")]
    [InlineData("remove: nobody", new[] { "o1 remove u0 03-01T00 03-10T00" }, "", "o1")]
    [InlineData("remove of someone not on call: no effect", new[] { "o1 remove u3 03-01T00 03-10T00" }, "u0", "")]
    [InlineData("add: alongside the scheduled user", new[] { "o1 add u8 03-01T00 03-10T00" }, "u0 u8", "o1")]
    [InlineData("add of the scheduled user: no effect", new[] { "o1 add u0 03-01T00 03-10T00" }, "u0", "")]
    [InlineData("replace and add", new[] { "o2 add u8 03-01T00 03-10T00", "o1 replace u7 u0 03-01T00 03-10T00" }, "u7 u8", "o1 o2")]
    [InlineData("remove and add: only the added", new[] { "o1 remove u0 03-01T00 03-10T00", "o2 add u8 03-01T00 03-10T00" }, "u8", "o1 o2")]
    [InlineData("conflicting chain: a replace acts on the schedule only", new[] { "o1 replace u7 u0 03-01T00 03-10T00", "o2 replace u9 u7 03-01T00 03-10T00" }, "u7", "o1")]
    [InlineData("conflicting replace and remove of the replacement: remove comes after", new[] { "o1 replace u7 u0 03-01T00 03-10T00", "o2 remove u7 03-01T00 03-10T00" }, "", "o1 o2")]
    [InlineData("conflicting replaces of one person: the earlier start wins", new[] { "o2 replace u9 u0 03-02T00 03-10T00", "o1 replace u7 u0 03-01T00 03-10T00" }, "u7", "o1")]
    [InlineData("conflicting replaces starting together: the smaller id wins", new[] { "o2 replace u9 u0 03-01T00 03-10T00", "o1 replace u7 u0 03-01T00 03-10T00" }, "u7", "o1")]
    public void Who_is_on_call_under_active_overrides(string @case, string[] overrides, string users, string applied)
    {
        _ = @case;
        var on = OverrideRules.EffectiveUsers(["u0"], overrides.Select(Override));
        Assert.Equal((users, applied), (string.Join(' ', on.UserIds), string.Join(' ', on.OverrideIds)));
    }

    [Theory]
    [InlineData("no overrides: the whole shift", "03-02T01", "03-09T01", new string[0],
        new[] { "03-02T01 03-09T01 u0 -" })]
    [InlineData("replace inside the shift: three pieces", "03-02T01", "03-09T01", new[] { "o1 replace u7 u0 03-04T00 03-05T00" },
        new[] { "03-02T01 03-04T00 u0 -", "03-04T00 03-05T00 u7 o1", "03-05T00 03-09T01 u0 -" })]
    [InlineData("replace spanning the handoff: only while u0 is scheduled", "03-02T01", "03-16T01", new[] { "o1 replace u7 u0 03-08T00 03-11T00" },
        new[] { "03-02T01 03-08T00 u0 -", "03-08T00 03-09T01 u7 o1", "03-09T01 03-16T01 u1 -" })]
    [InlineData("replace and an overlapping add", "03-02T01", "03-09T01", new[] { "o1 replace u7 u0 03-04T00 03-05T00", "o2 add u8 03-04T12 03-06T00" },
        new[] { "03-02T01 03-04T00 u0 -", "03-04T00 03-04T12 u7 o1", "03-04T12 03-05T00 u7,u8 o1,o2", "03-05T00 03-06T00 u0,u8 o2", "03-06T00 03-09T01 u0 -" })]
    [InlineData("remove then a back-to-back add: nobody, then two", "03-02T01", "03-09T01", new[] { "o1 remove u0 03-03T00 03-04T00", "o2 add u8 03-04T00 03-05T00" },
        new[] { "03-02T01 03-03T00 u0 -", "03-03T00 03-04T00 - o1", "03-04T00 03-05T00 u0,u8 o2", "03-05T00 03-09T01 u0 -" })]
    [InlineData("an override of someone else cuts nothing", "03-02T01", "03-16T01", new[] { "o1 replace u7 u3 03-04T00 03-05T00", "o2 remove u2 03-03T00 03-12T00" },
        new[] { "03-02T01 03-09T01 u0 -", "03-09T01 03-16T01 u1 -" })]
    [InlineData("two adds end to end stay two pieces: they are different overrides", "03-02T01", "03-09T01", new[] { "o1 add u8 03-03T00 03-04T00", "o2 add u8 03-04T00 03-05T00" },
        new[] { "03-02T01 03-03T00 u0 -", "03-03T00 03-04T00 u0,u8 o1", "03-04T00 03-05T00 u0,u8 o2", "03-05T00 03-09T01 u0 -" })]
    [InlineData("before the start: u4 covered by u7 across the handoff to u0", "02-28T00", "03-03T00", new[] { "o1 replace u7 u4 03-01T00 03-03T00" },
        new[] { "02-23T01 03-01T00 u4 -", "03-01T00 03-02T01 u7 o1", "03-02T01 03-09T01 u0 -" })]
    public void Shifts_are_cut_where_overrides_begin_and_end(string @case, string from, string to, string[] overrides, string[] expected)
    {
        _ = @case;
        var pieces = Tokyo.OnCallBetween(Time(from), Time(to), overrides.Select(Override).ToList()).Select(Piece).ToArray();

        Assert.Equal(expected, pieces);
    }

    [Fact]
    public void On_call_at_an_instant_keeps_the_scheduled_user_beside_the_effective_one()
    {
        var overrides = new[] { Override("o1 replace u7 u0 03-04T00 03-05T00") };

        var during = Tokyo.OnCallAt(At("2026-03-04T06:00:00Z"), overrides);
        var after = Tokyo.OnCallAt(At("2026-03-05T00:00:00Z"), overrides);

        Assert.Equal(("u0", "u7", 0L, At("2026-03-02T01:00:00Z"), At("2026-03-09T01:00:00Z")),
            (during.Shift.UserId, string.Join(' ', during.UserIds), during.Shift.Index, during.Shift.Start, during.Shift.End));
        Assert.Equal((At("2026-03-04T00:00:00Z"), At("2026-03-05T00:00:00Z")), (during.Start, during.End));
        Assert.Equal(("u0", "u0", ""), (after.Shift.UserId, string.Join(' ', after.UserIds), string.Join(' ', after.OverrideIds)));
    }

    public static TheoryData<string, string, string[]> ConflictCases => new()
    {
        { "second replace of the same person", "c replace u9 u0 03-03T00 03-05T00", ["e1"] },
        { "remove of a person being replaced", "c remove u0 03-03T00 03-05T00", ["e1"] },
        { "second add of the same person", "c add u8 03-03T00 03-05T00", ["e2"] },
        { "add of a person already replacing someone", "c add u7 03-03T00 03-05T00", ["e1"] },
        { "replacing with a person already replacing someone else", "c replace u7 u2 03-03T00 03-05T00", ["e1"] },
        { "replace naming two people already acted on", "c replace u8 u0 03-03T00 03-05T00", ["e1", "e2"] },
        { "add of a person who is removed", "c add u1 03-03T00 03-05T00", ["e3"] },
        { "second remove of the same person", "c remove u1 03-03T00 03-05T00", ["e3"] },
        { "same person, intervals only touching: [start, end) do not overlap", "c replace u9 u0 03-04T00 03-06T00", [] },
        { "same person, ending where the others begin", "c add u8 03-01T00 03-02T00", [] },
        { "overlapping, different people", "c replace u9 u2 03-03T00 03-05T00", [] },
        { "the same override edited: not a conflict with itself", "e1 replace u9 u0 03-03T00 03-05T00", [] },
    };

    [Theory]
    [MemberData(nameof(ConflictCases))]
    public void Overlapping_overrides_that_name_a_common_person_conflict(string @case, string candidate, string[] conflicting)
    {
        _ = @case;
        var existing = new[]
        {
            Override("e1 replace u7 u0 03-02T00 03-04T00"),
            Override("e2 add u8 03-02T00 03-04T00"),
            Override("e3 remove u1 03-02T00 03-04T00"),
        };
        Assert.Equal(conflicting, OverrideRules.Conflicts(Override(candidate), existing).Select(o => o.Id).ToArray());
    }

    private static RotationOverride Override(string spec)
    {
        var t = spec.Split(' ');
        var type = Enum.Parse<OverrideType>(t[1], ignoreCase: true);
        var replaced = type == OverrideType.Replace ? t[3] : null;
        var times = t[^2..];
        return new RotationOverride(t[0], type, t[2], replaced, Time(times[0]), Time(times[1]), null);
    }

    private static DateTimeOffset Time(string monthDayHour) => At($"2026-{monthDayHour}:00:00Z");

    private static string Piece(OnCallPeriod p) =>
        $"{Utc(p.Start)[5..13]} {Utc(p.End)[5..13]} {Names(p.UserIds)} {Names(p.OverrideIds)}";

    private static string Names(IReadOnlyList<string> names) => names.Count == 0 ? "-" : string.Join(',', names);
}
