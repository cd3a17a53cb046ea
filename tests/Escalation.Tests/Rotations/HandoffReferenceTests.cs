using System.Diagnostics;
using Escalation.Rotations;
using NodaTime;
using static Escalation.Tests.Rotations.Rotation;

namespace Escalation.Tests.Rotations;

/// <summary>
/// The fast timeline against a plain restatement of the rules that walks every wall-clock handoff one by one,
/// in zones with unusual transitions: a half-hour DST (Lord Howe), a skipped day (Apia, 2011-12-30), DST at
/// midnight (Sao Paulo before 2019).
/// </summary>
public class HandoffReferenceTests
{
    [Theory]
    [InlineData("America/New_York", RotationType.Hourly, 1, "2026-03-08T00:00:00-05:00", 3000)]
    [InlineData("America/New_York", RotationType.Hourly, 5, "2026-10-31T22:00:00-04:00", 800)]
    [InlineData("Europe/London", RotationType.Hourly, 1, "2026-03-29T00:00:00+00:00", 3000)]
    [InlineData("Europe/London", RotationType.Daily, 1, "2026-03-28T01:30:00+00:00", 800)]
    [InlineData("Australia/Lord_Howe", RotationType.Hourly, 1, "2026-04-05T00:00:00+11:00", 5000)]
    [InlineData("Australia/Lord_Howe", RotationType.Hourly, 3, "2026-04-05T01:30:00+11:00", 2000)]
    [InlineData("Pacific/Apia", RotationType.Hourly, 1, "2011-12-29T00:00:00-10:00", 500)]
    [InlineData("Pacific/Apia", RotationType.Daily, 1, "2011-12-25T09:00:00-10:00", 60)]
    [InlineData("America/Sao_Paulo", RotationType.Daily, 1, "2017-10-10T00:00:00-03:00", 400)]
    [InlineData("America/Sao_Paulo", RotationType.Hourly, 2, "2017-10-14T21:00:00-03:00", 3000)]
    [InlineData("Asia/Tokyo", RotationType.Weekly, 1, "2026-03-02T10:00:00+09:00", 300)]
    [InlineData("America/New_York", RotationType.Weekly, 2, "2026-02-23T10:00:00-05:00", 200)]
    public void The_timeline_agrees_with_walking_every_handoff(string zone, RotationType type, int length, string start, int reach)
    {
        var timeline = Timeline(zone, type, length, start);
        var reference = ReferenceHandoffs(timeline.Zone, timeline.LocalStart, type, length, reach);

        for (var i = 0; i + 1 < reference.Count; i++)
        {
            var (index, from) = reference[i];
            var to = reference[i + 1].At;
            var expected = $"{index} {Mod(index, 5)} {Utc(from)} {Utc(to)}";
            Assert.Equal(expected, Describe(timeline.ShiftAt(from)));
            Assert.Equal(expected, Describe(timeline.ShiftAt(to.AddTicks(-1))));
        }
        var all = timeline.ShiftsBetween(reference[0].At, reference[^1].At).Select(Describe).ToList();
        Assert.Equal(reference.Count - 1, all.Count);
    }

    [Fact]
    public void An_hourly_rotation_answers_ten_years_away_in_well_under_50_ms()
    {
        var timeline = Timeline("America/New_York", RotationType.Hourly, 1, "2026-01-05T10:00:00-05:00");
        var far = new[] { At("2036-01-05T10:30:00Z"), At("2016-01-05T10:30:00Z"), At("2126-07-01T00:00:00Z") };
        _ = timeline.ShiftAt(far[0]);

        foreach (var at in far)
        {
            var clock = Stopwatch.StartNew();
            var shift = timeline.ShiftAt(at);
            var next = timeline.NextHandoffAfter(at);
            clock.Stop();
            Assert.True(clock.ElapsedMilliseconds < 50, $"{clock.ElapsedMilliseconds} ms for {at:O}");
            Assert.Equal(next, shift.End);
        }
        // 3,652 days of local hours (2028 and 2032 leap) less one collapsed handoff for each of the ten springs-forward.
        Assert.Equal(3_652 * 24 - 10, timeline.ShiftAt(At("2036-01-05T15:00:00Z")).Index);
    }

    /// <summary>Every distinct handoff instant with its index, for k in [-reach, reach], straight from the rules.</summary>
    private static List<(long Index, DateTimeOffset At)> ReferenceHandoffs(
        DateTimeZone zone, LocalDateTime localStart, RotationType type, int length, int reach)
    {
        var instants = new List<(long K, Instant At)>();
        for (long k = -reach; k <= reach; k++)
        {
            var local = type switch
            {
                RotationType.Hourly => localStart.PlusHours(k * length),
                RotationType.Daily => localStart.PlusDays((int)(k * length)),
                _ => localStart.PlusWeeks((int)(k * length)),
            };
            var mapping = zone.MapLocal(local);
            var at = mapping.Count switch
            {
                0 => mapping.LateInterval.Start,
                _ => mapping.First().ToInstant(),
            };
            if (instants.Count == 0 || instants[^1].At != at) instants.Add((k, at));
            else if (k == 0) instants[^1] = (0, at);
        }
        var zeroAt = instants.FindIndex(h => h.K == 0);
        return instants.Select((h, i) => ((long)(i - zeroAt), h.At.ToDateTimeOffset())).ToList();
    }

    private static long Mod(long value, int count) => ((value % count) + count) % count;
}
