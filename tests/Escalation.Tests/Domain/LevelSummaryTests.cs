using Escalation.Configuration;
using Escalation.Escalations;

namespace Escalation.Tests.Domain;

public class LevelSummaryTests
{
    private static TargetPeople Team(string id, params string[] users) => new(new EscalationTarget(TargetType.Team, id), users);

    private static TargetPeople User(string id) => new(new EscalationTarget(TargetType.User, id), [id]);

    private static readonly Dictionary<string, string> Names = new() { ["u1"] = "aiko", ["u2"] = "ben", ["u3"] = "carol", ["u4"] = "dan" };

    [Fact]
    public void A_team_is_shown_with_its_people_and_a_person_by_name() =>
        Assert.Equal("level 2: @team-backend (aiko, ben), dan", LevelSummary.Of(2, [Team("team-backend", "u1", "u2"), User("u4")], Names));

    [Fact]
    public void Long_lists_are_cut_short()
    {
        Assert.Equal("level 2: @big (aiko, ben, carol, …)", LevelSummary.Of(2, [Team("big", "u1", "u2", "u3", "u4")], Names));
        Assert.Equal("level 3: aiko, ben, carol, +1 more", LevelSummary.Of(3, [User("u1"), User("u2"), User("u3"), User("u4")], Names));
    }

    [Fact]
    public void Targets_that_stood_for_nobody_are_left_out_and_unknown_names_show_the_id() =>
        Assert.Equal("level 1: @ops (u9)", LevelSummary.Of(1, [Team("empty"), Team("ops", "u9")], Names));
}
