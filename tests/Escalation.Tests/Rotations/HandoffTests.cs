using Escalation.Rotations;
using static Escalation.Tests.Rotations.Rotation;

namespace Escalation.Tests.Rotations;

/// <summary>
/// The handoff rules of issue 3, as tables of exact UTC instants. DST dates checked against the tz database:
/// America/New_York springs forward 2026-03-08T07:00Z and falls back 2026-11-01T06:00Z; Europe/London
/// 2026-03-29T01:00Z and 2026-10-25T01:00Z; Asia/Tokyo has had no transition since 1951.
/// </summary>
public class HandoffTests
{
    /// <summary>Case, zone, type, shift length, start, participants, window [from, to), every shift overlapping it as "index slot start end".</summary>
    public static TheoryData<string, string, RotationType, int, string, int, string, string, string[]> Sequences => new()
    {
        {
            "Tokyo weekly Monday 10:00, no DST: every shift 168 h", "Asia/Tokyo", RotationType.Weekly, 1, "2026-03-02T10:00:00+09:00", 5,
            "2026-03-02T01:00:00Z", "2026-04-06T01:00:00Z",
            [
                "0 0 2026-03-02T01:00:00Z 2026-03-09T01:00:00Z",
                "1 1 2026-03-09T01:00:00Z 2026-03-16T01:00:00Z",
                "2 2 2026-03-16T01:00:00Z 2026-03-23T01:00:00Z",
                "3 3 2026-03-23T01:00:00Z 2026-03-30T01:00:00Z",
                "4 4 2026-03-30T01:00:00Z 2026-04-06T01:00:00Z",
            ]
        },
        {
            "New York weekly Monday 10:00 across spring-forward: 167 h", "America/New_York", RotationType.Weekly, 1, "2026-03-02T10:00:00-05:00", 5,
            "2026-03-02T15:00:00Z", "2026-03-16T14:00:00Z",
            [
                "0 0 2026-03-02T15:00:00Z 2026-03-09T14:00:00Z",
                "1 1 2026-03-09T14:00:00Z 2026-03-16T14:00:00Z",
            ]
        },
        {
            "New York weekly Monday 10:00 across fall-back: 169 h", "America/New_York", RotationType.Weekly, 1, "2026-03-02T10:00:00-05:00", 5,
            "2026-10-20T00:00:00Z", "2026-11-03T00:00:00Z",
            [
                "33 3 2026-10-19T14:00:00Z 2026-10-26T14:00:00Z",
                "34 4 2026-10-26T14:00:00Z 2026-11-02T15:00:00Z",
                "35 0 2026-11-02T15:00:00Z 2026-11-09T15:00:00Z",
            ]
        },
        {
            "London weekly Monday 10:00 across spring-forward: 167 h", "Europe/London", RotationType.Weekly, 1, "2026-03-23T10:00:00+00:00", 5,
            "2026-03-23T10:00:00Z", "2026-04-06T09:00:00Z",
            [
                "0 0 2026-03-23T10:00:00Z 2026-03-30T09:00:00Z",
                "1 1 2026-03-30T09:00:00Z 2026-04-06T09:00:00Z",
            ]
        },
        {
            "London weekly Monday 10:00 across fall-back: 169 h", "Europe/London", RotationType.Weekly, 1, "2026-03-23T10:00:00+00:00", 5,
            "2026-10-19T09:00:00Z", "2026-11-02T10:00:00Z",
            [
                "30 0 2026-10-19T09:00:00Z 2026-10-26T10:00:00Z",
                "31 1 2026-10-26T10:00:00Z 2026-11-02T10:00:00Z",
            ]
        },
        {
            "New York daily 09:00 across spring-forward: 23 h", "America/New_York", RotationType.Daily, 1, "2026-03-07T09:00:00-05:00", 3,
            "2026-03-07T14:00:00Z", "2026-03-10T00:00:00Z",
            [
                "0 0 2026-03-07T14:00:00Z 2026-03-08T13:00:00Z",
                "1 1 2026-03-08T13:00:00Z 2026-03-09T13:00:00Z",
                "2 2 2026-03-09T13:00:00Z 2026-03-10T13:00:00Z",
            ]
        },
        {
            "New York daily 09:00 across fall-back: 25 h", "America/New_York", RotationType.Daily, 1, "2026-03-07T09:00:00-05:00", 3,
            "2026-10-31T13:00:00Z", "2026-11-02T14:00:00Z",
            [
                "238 1 2026-10-31T13:00:00Z 2026-11-01T14:00:00Z",
                "239 2 2026-11-01T14:00:00Z 2026-11-02T14:00:00Z",
            ]
        },
        {
            "London daily 09:00 across spring-forward: 23 h", "Europe/London", RotationType.Daily, 1, "2026-03-28T09:00:00+00:00", 3,
            "2026-03-28T09:00:00Z", "2026-03-30T08:00:00Z",
            [
                "0 0 2026-03-28T09:00:00Z 2026-03-29T08:00:00Z",
                "1 1 2026-03-29T08:00:00Z 2026-03-30T08:00:00Z",
            ]
        },
        {
            "London daily 09:00 across fall-back: 25 h", "Europe/London", RotationType.Daily, 1, "2026-03-28T09:00:00+00:00", 3,
            "2026-10-24T08:00:00Z", "2026-10-26T09:00:00Z",
            [
                "210 0 2026-10-24T08:00:00Z 2026-10-25T09:00:00Z",
                "211 1 2026-10-25T09:00:00Z 2026-10-26T09:00:00Z",
            ]
        },
        {
            "Daily 02:30 in the spring-forward gap: at the transition 07:00Z, next day 02:30 again", "America/New_York", RotationType.Daily, 1, "2026-03-06T02:30:00-05:00", 5,
            "2026-03-07T07:30:00Z", "2026-03-10T06:30:00Z",
            [
                "1 1 2026-03-07T07:30:00Z 2026-03-08T07:00:00Z",
                "2 2 2026-03-08T07:00:00Z 2026-03-09T06:30:00Z",
                "3 3 2026-03-09T06:30:00Z 2026-03-10T06:30:00Z",
            ]
        },
        {
            "Hourly across fall-back: 01:00 hands off once, at its first occurrence", "America/New_York", RotationType.Hourly, 1, "2026-11-01T00:00:00-04:00", 5,
            "2026-11-01T04:00:00Z", "2026-11-01T09:00:00Z",
            [
                "0 0 2026-11-01T04:00:00Z 2026-11-01T05:00:00Z",
                "1 1 2026-11-01T05:00:00Z 2026-11-01T07:00:00Z",
                "2 2 2026-11-01T07:00:00Z 2026-11-01T08:00:00Z",
                "3 3 2026-11-01T08:00:00Z 2026-11-01T09:00:00Z",
            ]
        },
        {
            "Hourly across spring-forward: 02:00 and 03:00 both resolve to 07:00Z, counted once", "America/New_York", RotationType.Hourly, 1, "2026-03-08T00:00:00-05:00", 5,
            "2026-03-08T05:00:00Z", "2026-03-08T10:00:00Z",
            [
                "0 0 2026-03-08T05:00:00Z 2026-03-08T06:00:00Z",
                "1 1 2026-03-08T06:00:00Z 2026-03-08T07:00:00Z",
                "2 2 2026-03-08T07:00:00Z 2026-03-08T08:00:00Z",
                "3 3 2026-03-08T08:00:00Z 2026-03-08T09:00:00Z",
                "4 4 2026-03-08T09:00:00Z 2026-03-08T10:00:00Z",
            ]
        },
        {
            "Hourly at half past across spring-forward: 02:30 at 07:00Z, nothing collapses, two half-hour shifts", "America/New_York", RotationType.Hourly, 1, "2026-03-08T00:30:00-05:00", 5,
            "2026-03-08T06:30:00Z", "2026-03-08T08:30:00Z",
            [
                "1 1 2026-03-08T06:30:00Z 2026-03-08T07:00:00Z",
                "2 2 2026-03-08T07:00:00Z 2026-03-08T07:30:00Z",
                "3 3 2026-03-08T07:30:00Z 2026-03-08T08:30:00Z",
            ]
        },
        {
            "Hourly counting back across a collapse: 03:00 and 02:00 are one handoff, before start", "America/New_York", RotationType.Hourly, 1, "2026-03-08T04:00:00-04:00", 5,
            "2026-03-08T05:00:00Z", "2026-03-08T09:00:00Z",
            [
                "-3 2 2026-03-08T05:00:00Z 2026-03-08T06:00:00Z",
                "-2 3 2026-03-08T06:00:00Z 2026-03-08T07:00:00Z",
                "-1 4 2026-03-08T07:00:00Z 2026-03-08T08:00:00Z",
                "0 0 2026-03-08T08:00:00Z 2026-03-08T09:00:00Z",
            ]
        },
        {
            "Hourly starting at the transition: 02:00 (gap) and the start 03:00 are one handoff, index 0", "America/New_York", RotationType.Hourly, 1, "2026-03-08T03:00:00-04:00", 5,
            "2026-03-08T05:00:00Z", "2026-03-08T08:00:00Z",
            [
                "-2 3 2026-03-08T05:00:00Z 2026-03-08T06:00:00Z",
                "-1 4 2026-03-08T06:00:00Z 2026-03-08T07:00:00Z",
                "0 0 2026-03-08T07:00:00Z 2026-03-08T08:00:00Z",
            ]
        },
        {
            "Two-week shifts, New York Monday 10:00, across spring-forward: 335 h then 336 h", "America/New_York", RotationType.Weekly, 2, "2026-02-23T10:00:00-05:00", 3,
            "2026-02-23T15:00:00Z", "2026-04-06T14:00:00Z",
            [
                "0 0 2026-02-23T15:00:00Z 2026-03-09T14:00:00Z",
                "1 1 2026-03-09T14:00:00Z 2026-03-23T14:00:00Z",
                "2 2 2026-03-23T14:00:00Z 2026-04-06T14:00:00Z",
            ]
        },
        {
            "Before start, Tokyo weekly: counts backwards, one shift before is participant 4 of 5", "Asia/Tokyo", RotationType.Weekly, 1, "2026-03-02T10:00:00+09:00", 5,
            "2026-01-19T01:00:00Z", "2026-03-09T01:00:00Z",
            [
                "-6 4 2026-01-19T01:00:00Z 2026-01-26T01:00:00Z",
                "-5 0 2026-01-26T01:00:00Z 2026-02-02T01:00:00Z",
                "-4 1 2026-02-02T01:00:00Z 2026-02-09T01:00:00Z",
                "-3 2 2026-02-09T01:00:00Z 2026-02-16T01:00:00Z",
                "-2 3 2026-02-16T01:00:00Z 2026-02-23T01:00:00Z",
                "-1 4 2026-02-23T01:00:00Z 2026-03-02T01:00:00Z",
                "0 0 2026-03-02T01:00:00Z 2026-03-09T01:00:00Z",
            ]
        },
        {
            "Before start across a DST change, New York weekly: back over the fall-back of 2025", "America/New_York", RotationType.Weekly, 1, "2026-03-02T10:00:00-05:00", 5,
            "2025-10-27T14:00:00Z", "2025-11-03T15:00:00Z",
            [
                "-18 2 2025-10-27T14:00:00Z 2025-11-03T15:00:00Z",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public void Shifts_between_two_instants_are_exactly_these(
        string @case, string zone, RotationType type, int length, string start, int participants, string from, string to, string[] expected)
    {
        _ = @case;
        var timeline = Timeline(zone, type, length, start, participants);
        Assert.Equal(expected, timeline.ShiftsBetween(At(from), At(to)).Select(Describe).ToArray());
    }

    [Theory]
    [MemberData(nameof(Sequences))]
    public void Any_instant_of_a_shift_finds_that_shift_and_its_end_is_the_next_handoff(
        string @case, string zone, RotationType type, int length, string start, int participants, string from, string to, string[] expected)
    {
        _ = (@case, from, to);
        var timeline = Timeline(zone, type, length, start, participants);
        foreach (var shift in expected.Select(e => e.Split(' ')))
        {
            var (shiftStart, shiftEnd) = (At(shift[2]), At(shift[3]));
            var description = string.Join(' ', shift);
            Assert.Equal(description, Describe(timeline.ShiftAt(shiftStart)));
            Assert.Equal(description, Describe(timeline.ShiftAt(shiftStart + (shiftEnd - shiftStart) / 2)));
            Assert.Equal(description, Describe(timeline.ShiftAt(shiftEnd.AddTicks(-1))));
            Assert.Equal(shiftEnd, timeline.NextHandoffAfter(shiftStart));
            Assert.Equal(shiftEnd, timeline.NextHandoffAfter(shiftEnd.AddTicks(-1)));
            Assert.Equal($"u{shift[1]}", timeline.ShiftAt(shiftStart).UserId);
        }
    }

    [Theory]
    [InlineData("America/New_York", RotationType.Weekly, "2026-03-02T10:00:00-05:00", "2026-03-05T00:00:00Z", 167)]
    [InlineData("America/New_York", RotationType.Weekly, "2026-03-02T10:00:00-05:00", "2026-10-30T00:00:00Z", 169)]
    [InlineData("America/New_York", RotationType.Weekly, "2026-03-02T10:00:00-05:00", "2026-06-01T00:00:00Z", 168)]
    [InlineData("Europe/London", RotationType.Weekly, "2026-03-23T10:00:00+00:00", "2026-03-26T00:00:00Z", 167)]
    [InlineData("Europe/London", RotationType.Weekly, "2026-03-23T10:00:00+00:00", "2026-10-22T00:00:00Z", 169)]
    [InlineData("Asia/Tokyo", RotationType.Weekly, "2026-03-02T10:00:00+09:00", "2026-10-30T00:00:00Z", 168)]
    [InlineData("America/New_York", RotationType.Daily, "2026-03-07T09:00:00-05:00", "2026-03-08T00:00:00Z", 23)]
    [InlineData("America/New_York", RotationType.Daily, "2026-03-07T09:00:00-05:00", "2026-11-01T00:00:00Z", 25)]
    [InlineData("Europe/London", RotationType.Daily, "2026-03-28T09:00:00+00:00", "2026-03-29T00:00:00Z", 23)]
    [InlineData("Europe/London", RotationType.Daily, "2026-03-28T09:00:00+00:00", "2026-10-25T00:00:00Z", 25)]
    public void A_handoff_keeps_its_wall_clock_time_so_a_shift_across_a_DST_change_is_an_hour_shorter_or_longer(
        string zone, RotationType type, string start, string at, int hours)
    {
        var shift = Timeline(zone, type, 1, start).ShiftAt(At(at));
        Assert.Equal(TimeSpan.FromHours(hours), shift.End - shift.Start);
    }

    [Theory]
    [InlineData("Asia/Tokyo", "2026-03-02T10:00:00+09:00", "2026-03-09T10:00:00+09:00")]
    [InlineData("America/New_York", "2026-03-02T10:00:00-05:00", "2026-03-09T10:00:00-04:00")]
    [InlineData("America/New_York", "2026-10-26T10:00:00-04:00", "2026-11-02T10:00:00-05:00")]
    [InlineData("Europe/London", "2026-10-19T10:00:00+01:00", "2026-10-26T10:00:00+00:00")]
    public void Every_weekly_handoff_is_Monday_10_00_local(string zone, string start, string nextLocal)
    {
        var timeline = Timeline(zone, RotationType.Weekly, 1, start);
        var next = timeline.InRotationZone(timeline.NextHandoffAfter(At(start)));
        Assert.Equal(nextLocal, next.ToString("yyyy-MM-dd'T'HH':'mm':'sszzz", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DayOfWeek.Monday, next.DayOfWeek);
    }

    [Theory]
    [InlineData("2026-03-01T00:00:00Z", -1, 4, "2026-02-23T01:00:00Z")]
    [InlineData("2026-03-02T00:59:59Z", -1, 4, "2026-02-23T01:00:00Z")]
    [InlineData("2026-03-02T01:00:00Z", 0, 0, "2026-03-02T01:00:00Z")]
    [InlineData("2026-01-26T01:00:00Z", -5, 0, "2026-01-26T01:00:00Z")]
    [InlineData("2026-01-26T00:59:59Z", -6, 4, "2026-01-19T01:00:00Z")]
    [InlineData("2016-03-02T00:00:00Z", -522, 3, "2016-02-29T01:00:00Z")]
    [InlineData("2036-03-02T00:00:00Z", 521, 1, "2036-02-25T01:00:00Z")]
    public void Tokyo_weekly_index_and_participant_at_an_instant(string at, long index, int slot, string shiftStart)
    {
        var shift = Timeline("Asia/Tokyo", RotationType.Weekly, 1, "2026-03-02T10:00:00+09:00").ShiftAt(At(at));
        Assert.Equal((index, slot, At(shiftStart)), (shift.Index, shift.Slot, shift.Start));
    }

    [Fact]
    public void The_start_offset_only_names_the_instant_the_zone_gives_the_wall_time()
    {
        // 01:00Z is 10:00 in Tokyo whichever offset the start is written with.
        var timeline = Timeline("Asia/Tokyo", RotationType.Weekly, 1, "2026-03-01T20:00:00-05:00");
        Assert.Equal(new NodaTime.LocalDateTime(2026, 3, 2, 10, 0), timeline.LocalStart);
        Assert.Equal(At("2026-03-09T01:00:00Z"), timeline.NextHandoffAfter(At("2026-03-02T01:00:00Z")));
    }
}
