using Escalation.Deadlines;
using Escalation.Rotations;

namespace Escalation.Releases;

[GenerateSerializer, Alias("escalation.release-watch-state")]
public sealed class ReleaseWatchState : IHasNextDeadline
{
    [Id(0)] public ReleaseWatch? Watch { get; set; }
    /// <summary>The checks told already (minutes after the release), so that each goes out once.</summary>
    [Id(1)] public List<int> ChecksDone { get; set; } = [];
    /// <summary>The outbox: each reminder to a person or the channel, written before it is handed to the bus.</summary>
    [Id(2)] public List<Announcement> Announcements { get; set; } = [];
    [Id(3)] public DateTimeOffset? NextDeadline { get; set; }
}
