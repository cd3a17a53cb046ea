using Escalation.Rotations;
using static Escalation.Tests.Rotations.Rotation;

namespace Escalation.Tests.Rotations;

/// <summary>
/// Who hears of a handoff. The rotation is Asia/Tokyo weekly from Monday 2026-03-02 10:00 (01:00Z): u0 that week,
/// u1 from Monday 2026-03-09 10:00 (03-09T01:00Z), which is the handoff under test.
/// </summary>
public class HandoffAnnouncementTests
{
    private static readonly RotationSchedule Tokyo = Schedule("Asia/Tokyo", RotationType.Weekly, 1, "2026-03-02T10:00:00+09:00");
    private static readonly DateTimeOffset Handoff = At("2026-03-09T01:00:00Z");

    [Theory]
    [InlineData("plain handoff: incoming, outgoing, channel", new string[0], "user:u1 user:u0 slack:C0TEAM0001")]
    [InlineData("the incoming engineer is covered: the cover comes on instead", new[] { "replace u7 u1 03-08 03-12" }, "user:u7 user:u0 slack:C0TEAM0001")]
    [InlineData("the outgoing engineer was covered: the cover goes off instead", new[] { "replace u7 u0 03-05 03-10" }, "user:u1 user:u7 slack:C0TEAM0001")]
    [InlineData("an add spanning the handoff stays on: not told", new[] { "add u8 03-05 03-12" }, "user:u1 user:u0 slack:C0TEAM0001")]
    [InlineData("the cover spans the handoff for both: nothing changes, nothing is said", new[] { "replace u7 u0 03-05 03-10", "replace u7 u1 03-08 03-12" }, "")]
    public void Who_is_told(string @case, string[] overrides, string recipients)
    {
        _ = @case;
        var drafts = Drafts(overrides.Select((o, i) => Override($"o{i}", o)).ToList(), "C0TEAM0001");
        Assert.Equal(recipients, string.Join(' ', drafts.Select(d => d.Recipient)));
        Assert.All(drafts, d => Assert.Equal("handoff/20260309T010000Z", d.EventKey));
    }

    [Fact]
    public void Without_an_announce_channel_only_the_people_are_told()
    {
        Assert.Equal(["user:u1", "user:u0"], Drafts([], null).Select(d => d.Recipient));
    }

    [Fact]
    public void The_messages_give_the_times_in_the_rotation_zone_and_name_who_is_covered()
    {
        var drafts = Drafts([Override("o1", "replace u7 u1 03-08 03-12")], "C0TEAM0001");
        Assert.Equal("You are on call for Weekly from Mon 2026-03-09 10:00 Asia/Tokyo until the next handoff at Mon 2026-03-16 10:00 Asia/Tokyo (covering for u1).",
            drafts[0].Text);
        Assert.Equal("Your on-call shift for Weekly ended at Mon 2026-03-09 10:00 Asia/Tokyo; u7 took over.", drafts[1].Text);
        Assert.Equal("Handoff in Weekly: u7 on call from Mon 2026-03-09 10:00 Asia/Tokyo until Mon 2026-03-16 10:00 Asia/Tokyo (covering for u1), taking over from u0.",
            drafts[2].Text);
    }

    private static IReadOnlyList<AnnouncementDraft> Drafts(IReadOnlyList<RotationOverride> overrides, string? channel)
    {
        var rotation = new Escalation.Rotations.Rotation("weekly", "Weekly", Tokyo.TimeZone, Tokyo.Type, Tokyo.ShiftLength, Tokyo.Start, Tokyo.Participants, channel);
        var timeline = new RotationTimeline(Tokyo);
        return RotationAnnouncements.Handoff(rotation, timeline, overrides, timeline.ShiftAt(Handoff));
    }

    /// <summary>"type user [replaced] MM-dd MM-dd", midnight UTC in 2026.</summary>
    private static RotationOverride Override(string id, string text)
    {
        var p = text.Split(' ');
        var type = Enum.Parse<OverrideType>(p[0], ignoreCase: true);
        var replaced = type == OverrideType.Replace ? p[2] : null;
        var (from, to) = type == OverrideType.Replace ? (p[3], p[4]) : (p[2], p[3]);
        return new RotationOverride(id, type, p[1], replaced, At($"2026-{from}T00:00:00Z"), At($"2026-{to}T00:00:00Z"), null);
    }
}
