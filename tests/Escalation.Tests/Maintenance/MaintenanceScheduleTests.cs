using Escalation.Maintenance;

namespace Escalation.Tests.Maintenance;

public class MaintenanceScheduleTests
{
    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every Sunday 02:00-04:00 Asia/Tokyo, from Sunday 2026-11-29 (17:00Z-19:00Z the Saturday before).</summary>
    private static readonly MaintenanceWindow SundayTokyo = Window("2026-11-29T02:00:00+09:00", "2026-11-29T04:00:00+09:00", "FREQ=WEEKLY;BYDAY=SU", "Asia/Tokyo");

    private static MaintenanceWindow Window(string start, string end, string? rule = null, string? zone = null) =>
        new("mw-test", ["checkout"], "weekly maintenance", At(start), At(end), rule is null ? null : new MaintenanceRecurrence(rule, zone!), "ops", At("2026-11-01T00:00:00Z"));

    [Theory]
    [InlineData("2026-12-06T01:59:59+09:00", null)]
    [InlineData("2026-12-06T02:00:00+09:00", "2026-12-05T17:00:00Z")]
    [InlineData("2026-12-06T03:59:59+09:00", "2026-12-05T17:00:00Z")]
    [InlineData("2026-12-06T04:00:00+09:00", null)]
    [InlineData("2026-12-09T03:00:00+09:00", null)] // a Wednesday
    [InlineData("2027-06-13T02:30:00+09:00", "2027-06-12T17:00:00Z")]
    public void A_weekly_Sunday_window_in_Tokyo_covers_02_to_04_local(string at, string? occurrenceStart)
    {
        var occurrence = MaintenanceSchedule.At(SundayTokyo, At(at));
        Assert.Equal(occurrenceStart is null ? null : At(occurrenceStart), occurrence?.Start);
        if (occurrence is not null) Assert.Equal(TimeSpan.FromHours(2), occurrence.End - occurrence.Start);
    }

    [Theory]
    [InlineData("2026-12-04T12:00:00Z", "2026-12-05T17:00:00Z")] // before: the next start
    [InlineData("2026-12-05T18:00:00Z", "2026-12-05T19:00:00Z")] // during: its end
    [InlineData("2026-12-05T19:00:00Z", "2026-12-12T17:00:00Z")] // at its end: the next week's start
    public void The_next_boundary_is_the_next_start_or_the_end_of_the_one_in_effect(string at, string next) =>
        Assert.Equal(At(next), MaintenanceSchedule.NextBoundary(SundayTokyo, At(at)));

    [Fact]
    public void Across_the_spring_DST_change_a_window_keeps_its_wall_clock_times_and_is_an_hour_shorter()
    {
        // New York, Sunday 01:00-04:00; on 2027-03-14 clocks go from 02:00 EST to 03:00 EDT.
        var window = Window("2027-03-07T01:00:00-05:00", "2027-03-07T04:00:00-05:00", "FREQ=WEEKLY;BYDAY=SU", "America/New_York");
        var before = MaintenanceSchedule.At(window, At("2027-03-07T07:00:00Z"))!;
        Assert.Equal((At("2027-03-07T06:00:00Z"), At("2027-03-07T09:00:00Z")), (before.Start, before.End));
        var across = MaintenanceSchedule.At(window, At("2027-03-14T07:30:00Z"))!;
        Assert.Equal((At("2027-03-14T06:00:00Z"), At("2027-03-14T08:00:00Z")), (across.Start, across.End));
        var after = MaintenanceSchedule.At(window, At("2027-03-21T06:30:00Z"))!;
        Assert.Equal((At("2027-03-21T05:00:00Z"), At("2027-03-21T08:00:00Z")), (after.Start, after.End));
    }

    [Fact]
    public void Across_the_autumn_DST_change_a_window_is_an_hour_longer()
    {
        // New York, Sunday 2027-11-07: 02:00 EDT becomes 01:00 EST; 00:30-03:00 local is 04:30Z-08:00Z.
        var window = Window("2027-10-31T00:30:00-04:00", "2027-10-31T03:00:00-04:00", "FREQ=WEEKLY;BYDAY=SU", "America/New_York");
        var across = MaintenanceSchedule.At(window, At("2027-11-07T07:00:00Z"))!;
        Assert.Equal((At("2027-11-07T04:30:00Z"), At("2027-11-07T08:00:00Z")), (across.Start, across.End));
    }

    [Fact]
    public void A_start_that_the_DST_change_skips_moves_forward_by_the_gap()
    {
        // 02:30 does not exist in New York on 2027-03-14: that occurrence starts at 03:30 EDT (07:30Z).
        var window = Window("2027-03-07T02:30:00-05:00", "2027-03-07T04:30:00-05:00", "FREQ=WEEKLY;BYDAY=SU", "America/New_York");
        var across = MaintenanceSchedule.From(window, At("2027-03-14T00:00:00Z")).First();
        Assert.Equal((At("2027-03-14T07:30:00Z"), At("2027-03-14T08:30:00Z")), (across.Start, across.End));
    }

    [Fact]
    public void A_one_off_window_is_in_effect_once()
    {
        var window = Window("2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z");
        Assert.NotNull(MaintenanceSchedule.At(window, At("2026-12-01T10:30:00Z")));
        Assert.Null(MaintenanceSchedule.At(window, At("2026-12-01T11:00:00Z")));
        Assert.Null(MaintenanceSchedule.NextBoundary(window, At("2026-12-01T11:00:00Z")));
        Assert.Equal(At("2026-12-01T11:00:00Z"), window.LastEnd);
    }

    [Fact]
    public void A_rule_with_a_count_ends()
    {
        var window = Window("2026-11-29T02:00:00+09:00", "2026-11-29T04:00:00+09:00", "FREQ=WEEKLY;BYDAY=SU;COUNT=2", "Asia/Tokyo");
        Assert.Equal(2, MaintenanceSchedule.From(window, At("2026-11-01T00:00:00Z")).Count());
        Assert.Null(MaintenanceSchedule.NextBoundary(window, At("2026-12-06T04:00:00+09:00")));
        Assert.Null(window.LastEnd); // a recurrence is kept until deleted
    }

    [Fact]
    public void A_rule_that_never_matches_has_no_occurrence_after_the_first()
    {
        var window = Window("2026-11-30T02:00:00+09:00", "2026-11-30T04:00:00+09:00", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "Asia/Tokyo");
        Assert.Empty(MaintenanceSchedule.From(window, At("2026-12-01T00:00:00Z")).Take(1));
    }

    [Fact]
    public void Ending_an_occurrence_early_ends_that_one_only()
    {
        var window = SundayTokyo with { EndedEarly = new EarlyEnd(At("2026-12-05T17:00:00Z"), At("2026-12-05T17:45:00Z"), "ops") };
        Assert.NotNull(MaintenanceSchedule.At(window, At("2026-12-05T17:30:00Z")));
        Assert.Null(MaintenanceSchedule.At(window, At("2026-12-05T17:45:00Z")));
        Assert.Equal(At("2026-12-12T17:00:00Z"), MaintenanceSchedule.NextBoundary(window, At("2026-12-05T17:45:00Z")));
        Assert.NotNull(MaintenanceSchedule.At(window, At("2026-12-12T17:30:00Z")));
    }
}
