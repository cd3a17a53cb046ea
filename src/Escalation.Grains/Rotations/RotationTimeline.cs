using NodaTime;
using NodaTime.TimeZones;

namespace Escalation.Rotations;

/// <summary>
/// The handoff rules of one schedule, free of grains and clocks.
/// <list type="bullet">
/// <item>Wall-clock handoff k is the start's local date-time + k × shift, for every integer k.</item>
/// <item>It resolves to an instant in the tz database zone: a local time in a spring-forward gap hands off at the
/// transition instant, a repeated local time (fall-back) at its first occurrence.</item>
/// <item>Wall-clock handoffs that resolve to the same instant are one handoff; the participant index moves by one
/// per distinct handoff instant, 0 at the start and negative before it.</item>
/// </list>
/// Cost of a query: a few zone resolutions near the target (the handoff number is estimated from the local time,
/// then corrected by stepping), plus one step per zone transition between the start and the target, to count the
/// handoffs a spring-forward collapsed. That is about two per year of distance for DST zones, none for Asia/Tokyo:
/// independent of how many shifts lie in between.
/// </summary>
public sealed class RotationTimeline
{
    private static readonly ZoneLocalMappingResolver HandoffResolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    private readonly RotationType _type;
    private readonly int _shiftLength;
    private readonly IReadOnlyList<string> _participants;

    public RotationTimeline(RotationSchedule schedule)
    {
        if (RotationValidation.Errors(schedule) is { Count: > 0 } errors)
            throw new ArgumentException(string.Join(" ", errors.Select(e => e.Message)), nameof(schedule));
        Zone = DateTimeZoneProviders.Tzdb[schedule.TimeZone];
        LocalStart = Instant.FromDateTimeOffset(schedule.Start).InZone(Zone).LocalDateTime;
        _type = schedule.Type;
        _shiftLength = schedule.ShiftLength;
        _participants = schedule.Participants.ToArray();
    }

    public DateTimeZone Zone { get; }

    /// <summary>The wall-clock time of handoff 0, which every other handoff keeps.</summary>
    public LocalDateTime LocalStart { get; }

    /// <summary>The shift in force at <paramref name="at"/>: the last handoff at or before it, up to the next one.</summary>
    public Shift ShiftAt(DateTimeOffset at)
    {
        var k = LastHandoffAtOrBefore(Instant.FromDateTimeOffset(at));
        return NewShift(IndexOf(k), Handoff(k), Handoff(k + 1));
    }

    /// <summary>Every shift that overlaps [from, to), whole, in order. Resolves each handoff once.</summary>
    public IEnumerable<Shift> ShiftsBetween(DateTimeOffset from, DateTimeOffset to)
    {
        var end = Instant.FromDateTimeOffset(to);
        var k = LastHandoffAtOrBefore(Instant.FromDateTimeOffset(from));
        var index = IndexOf(k);
        using var handoffs = DistinctHandoffsFrom(k).GetEnumerator();
        handoffs.MoveNext();
        for (var start = handoffs.Current; start < end; start = handoffs.Current)
        {
            handoffs.MoveNext();
            yield return NewShift(index++, start, handoffs.Current);
        }
    }

    /// <summary>The first handoff strictly after <paramref name="at"/>.</summary>
    public DateTimeOffset NextHandoffAfter(DateTimeOffset at) =>
        Handoff(LastHandoffAtOrBefore(Instant.FromDateTimeOffset(at)) + 1).ToDateTimeOffset();

    /// <summary>Who is on call at <paramref name="at"/> with the overrides applied, and during which stretch of the shift.</summary>
    public OnCallPeriod OnCallAt(DateTimeOffset at, IReadOnlyList<RotationOverride> overrides) =>
        OverrideRules.Apply(ShiftAt(at), overrides).First(p => p.Start <= at && at < p.End);

    /// <summary>The shifts overlapping [from, to), split where overrides begin or end; only the pieces overlapping the window.</summary>
    public IEnumerable<OnCallPeriod> OnCallBetween(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<RotationOverride> overrides) =>
        ShiftsBetween(from, to)
            .SelectMany(shift => OverrideRules.Apply(shift, overrides))
            .Where(p => p.End > from && p.Start < to);

    /// <summary>Shows an instant in the rotation's zone, with the offset the tz database gives it there.</summary>
    public DateTimeOffset InRotationZone(DateTimeOffset at) => Instant.FromDateTimeOffset(at).InZone(Zone).ToDateTimeOffset();

    private Shift NewShift(long index, Instant start, Instant end)
    {
        var slot = (int)(((index % _participants.Count) + _participants.Count) % _participants.Count);
        return new Shift(index, slot, _participants[slot], start.ToDateTimeOffset(), end.ToDateTimeOffset());
    }

    /// <summary>Handoff k's instant, then every later distinct one, without end.</summary>
    private IEnumerable<Instant> DistinctHandoffsFrom(long k)
    {
        var last = Handoff(k);
        yield return last;
        while (true)
        {
            var next = Handoff(++k);
            if (next == last) continue;
            yield return next;
            last = next;
        }
    }

    private LocalDateTime WallClockHandoff(long k) => _type switch
    {
        RotationType.Hourly => LocalStart.PlusHours(checked(k * _shiftLength)),
        RotationType.Daily => LocalStart.PlusDays(checked((int)(k * _shiftLength))),
        _ => LocalStart.PlusWeeks(checked((int)(k * _shiftLength))),
    };

    private Instant Handoff(long k) => Zone.ResolveLocal(WallClockHandoff(k), HandoffResolver).ToInstant();

    /// <summary>The greatest k whose handoff is at or before <paramref name="t"/>; handoffs never decrease with k.</summary>
    private long LastHandoffAtOrBefore(Instant t)
    {
        var k = EstimateHandoffNumber(t);
        while (Handoff(k) > t) k--;
        while (Handoff(k + 1) <= t) k++;
        return k;
    }

    /// <summary>Whole shifts of local time elapsed since the start: a guess within a few handoffs of the answer.</summary>
    private long EstimateHandoffNumber(Instant t)
    {
        var local = t.InZone(Zone).LocalDateTime;
        return _type switch
        {
            RotationType.Hourly => Period.Between(LocalStart, local, PeriodUnits.Hours).Hours / _shiftLength,
            RotationType.Daily => Period.Between(LocalStart, local, PeriodUnits.Days).Days / _shiftLength,
            _ => Period.Between(LocalStart, local, PeriodUnits.Days).Days / (7L * _shiftLength),
        };
    }

    /// <summary>The distinct-handoff index of handoff k: k, less the collapsed handoffs between 0 and k.</summary>
    private long IndexOf(long k) => k >= 0 ? k - CollapsedBetween(0, k) : k + CollapsedBetween(k, 0);

    /// <summary>
    /// How many j in (a, b] have handoff j at the same instant as handoff j - 1. Distinct local times map to the
    /// same instant only when they fall in a spring-forward gap or at its end, all resolving to the transition, so
    /// only the transitions between the two handoffs need looking at.
    /// </summary>
    private long CollapsedBetween(long a, long b)
    {
        long collapsed = 0;
        foreach (var transition in SpringForwardsBetween(Handoff(a), Handoff(b)))
        {
            var last = LastHandoffAtOrBefore(transition);
            if (Handoff(last) != transition) continue;
            var first = last;
            while (Handoff(first - 1) == transition) first--;
            collapsed += Math.Max(0, Math.Min(last, b) - (Math.Max(first, a) + 1) + 1);
        }
        return collapsed;
    }

    /// <summary>The instants in [from, to] where the zone's wall offset moves forward, leaving a gap in local time.</summary>
    private IEnumerable<Instant> SpringForwardsBetween(Instant from, Instant to)
    {
        var interval = Zone.GetZoneInterval(from);
        if (interval.HasStart && interval.Start == from && Zone.GetZoneInterval(from - Duration.Epsilon).WallOffset < interval.WallOffset)
            yield return from;
        while (interval.HasEnd && interval.End <= to)
        {
            var next = Zone.GetZoneInterval(interval.End);
            if (next.WallOffset > interval.WallOffset) yield return next.Start;
            interval = next;
        }
    }
}
