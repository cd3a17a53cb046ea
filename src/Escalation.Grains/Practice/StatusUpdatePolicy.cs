using Escalation.Routing;

namespace Escalation.Practice;

/// <summary>
/// Which open incidents of a service owe a status update, and how often: by default a P1 every 15 minutes, as the ops
/// standard asks. An empty <paramref name="Priorities"/> turns the reminders off.
/// </summary>
[GenerateSerializer, Alias("escalation.status-update-policy")]
public sealed record StatusUpdatePolicy(
    [property: Id(0)] IReadOnlyList<Priority>? Priorities = null,
    [property: Id(1)] TimeSpan? Every = null)
{
    public static readonly TimeSpan DefaultEvery = TimeSpan.FromMinutes(15);

    /// <summary>How often an incident of the priority owes an update on a service with this policy (null: the default); null when it owes none.</summary>
    public static TimeSpan? EveryFor(StatusUpdatePolicy? policy, Priority priority) =>
        (policy?.Priorities ?? [Priority.P1]).Contains(priority) ? policy?.Every ?? DefaultEvery : null;
}
