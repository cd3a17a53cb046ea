namespace Escalation.Practice;

/// <summary>
/// A moment a response target is about to be missed (80 % of it gone) or missed, for the timeline and the thread.
/// <paramref name="Covers"/> are the keys it settles: a miss noted late settles the warning it passed over too.
/// </summary>
public sealed record TargetMark(DateTimeOffset At, string Type, string Text, IReadOnlyList<string> Covers);
