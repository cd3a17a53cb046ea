using Escalation.Deadlines;
using Microsoft.Extensions.Logging;

namespace Escalation.Silo.Deadlines;

/// <summary>
/// Tells the owners of just-committed deadlines about them: this silo's own service directly, others by a one-way
/// message. A notice lost (its owner died, say) costs nothing but time: the new owner loads its range from the table.
/// </summary>
public sealed class DeadlineScheduler(DeadlineServiceClient client, ILogger<DeadlineScheduler> logger) : IDeadlineScheduler
{
    private volatile DeadlineService? _local;

    internal void Attach(DeadlineService? local) => _local = local;

    public void Scheduled(IReadOnlyList<ScheduledDeadline> deadlines)
    {
        if (deadlines.Count == 0) return;
        var local = _local;
        var remote = local is null ? deadlines : local.TakeOwn(deadlines);
        if (remote.Count == 0) return;
        try
        {
            foreach (var group in remote.GroupBy(d => client.OwnerOf(d.Grain)))
                group.Key.Schedule(group.ToList()).Ignore();
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Could not tell {Count} deadline(s) to their owners; their next load finds them", remote.Count);
        }
    }
}
