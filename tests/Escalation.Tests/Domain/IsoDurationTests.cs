using Escalation.Json;

namespace Escalation.Tests.Domain;

public class IsoDurationTests
{
    [Theory]
    [InlineData("PT15M", 900)]
    [InlineData("PT1S", 1)]
    [InlineData("P1DT2H", 93600)]
    [InlineData("PT0.5S", 0.5)]
    public void Parses_iso_8601_durations(string text, double seconds)
    {
        Assert.True(IsoDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("15m")]
    [InlineData("00:15:00")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("PT")]
    public void Rejects_anything_else(string? text) => Assert.False(IsoDuration.TryParse(text, out _));

    [Fact]
    public void Formats_back_to_iso_8601() => Assert.Equal("PT15M", IsoDuration.Format(TimeSpan.FromMinutes(15)));
}
