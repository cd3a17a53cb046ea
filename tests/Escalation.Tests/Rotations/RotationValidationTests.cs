using Escalation.Rotations;
using static Escalation.Tests.Rotations.Rotation;

namespace Escalation.Tests.Rotations;

public class RotationValidationTests
{
    [Theory]
    [InlineData("Asia/Tokyo", RotationType.Weekly, 1, "2026-03-02T10:00:00+09:00", 5, "")]
    [InlineData("Asia/Tokio", RotationType.Weekly, 1, "2026-03-02T10:00:00+09:00", 5, "time_zone")]
    [InlineData("Asia/Tokyo", RotationType.Weekly, 0, "2026-03-02T10:00:00+09:00", 5, "shift_length")]
    [InlineData("Asia/Tokyo", RotationType.Weekly, 54, "2026-03-02T10:00:00+09:00", 5, "shift_length")]
    [InlineData("Asia/Tokyo", RotationType.Hourly, 8784, "2026-03-02T10:00:00+09:00", 5, "")]
    [InlineData("Asia/Tokyo", (RotationType)7, 1, "2026-03-02T10:00:00+09:00", 5, "type")]
    [InlineData("Asia/Tokyo", RotationType.Weekly, 1, "2026-03-02T10:00:00+09:00", 0, "participants")]
    [InlineData("America/New_York", RotationType.Daily, 1, "2026-11-01T01:30:00-04:00", 5, "")]
    [InlineData("America/New_York", RotationType.Daily, 1, "2026-11-01T01:30:00-05:00", 5, "start")]
    [InlineData("Nowhere/Land", RotationType.Daily, 0, "2026-11-01T01:30:00-05:00", 0, "time_zone shift_length participants")]
    public void A_schedule_error_names_its_field(string zone, RotationType type, int length, string start, int participants, string fields)
    {
        var errors = RotationValidation.Errors(Schedule(zone, type, length, start, participants));
        Assert.Equal(fields, string.Join(' ', errors.Select(e => e.Field)));
    }

    [Fact]
    public void A_second_occurrence_start_is_refused_with_the_first_occurrence_to_use_instead()
    {
        var error = Assert.Single(RotationValidation.Errors(Schedule("America/New_York", RotationType.Daily, 1, "2026-11-01T01:30:00-05:00")));
        Assert.Contains("2026-11-01T01:30:00-04:00", error.Message);
        Assert.Throws<ArgumentException>(() => Timeline("America/New_York", RotationType.Daily, 1, "2026-11-01T01:30:00-05:00"));
    }

    [Fact]
    public void A_blank_participant_is_named_by_its_position()
    {
        var schedule = Schedule("Asia/Tokyo", RotationType.Weekly, 1, "2026-03-02T10:00:00+09:00") with { Participants = ["u0", " "] };
        Assert.Equal("participants[1]", Assert.Single(RotationValidation.Errors(schedule)).Field);
    }

    [Theory]
    [InlineData(OverrideType.Replace, "u7", "u0", 1, "")]
    [InlineData(OverrideType.Replace, "u7", null, 1, "replaces_user_id")]
    [InlineData(OverrideType.Replace, "u7", "u7", 1, "replaces_user_id")]
    [InlineData(OverrideType.Add, "u7", "u0", 1, "replaces_user_id")]
    [InlineData(OverrideType.Remove, "u0", null, 1, "")]
    [InlineData(OverrideType.Add, "", null, 1, "user_id")]
    [InlineData(OverrideType.Add, "u7", null, 0, "end")]
    [InlineData(OverrideType.Add, "u7", null, -1, "end")]
    public void An_override_error_names_its_field(OverrideType type, string user, string? replaced, int hours, string fields)
    {
        var start = At("2026-03-04T00:00:00Z");
        var candidate = new RotationOverride("o1", type, user, replaced, start, start.AddHours(hours), null);
        Assert.Equal(fields, string.Join(' ', RotationValidation.Errors(candidate).Select(e => e.Field)));
    }
}
