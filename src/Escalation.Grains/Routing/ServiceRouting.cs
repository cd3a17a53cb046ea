using Escalation.Notifications;

namespace Escalation.Routing;

/// <summary>
/// A service's route per priority. Unset priorities take the defaults of the ops standard: P1 and P2 page with high
/// urgency (P1 also posts its declaration in the channel), P3 pages with low urgency, P4 only posts to the channel.
/// </summary>
[GenerateSerializer, Alias("escalation.service-routing")]
public sealed record ServiceRouting(
    [property: Id(0)] PriorityRoute? P1 = null,
    [property: Id(1)] PriorityRoute? P2 = null,
    [property: Id(2)] PriorityRoute? P3 = null,
    [property: Id(3)] PriorityRoute? P4 = null)
{
    public static readonly PriorityRoute DefaultP1 = new(RouteAction.Page, Urgency.High, PostToChannel: true);
    public static readonly PriorityRoute DefaultP2 = new(RouteAction.Page, Urgency.High);
    public static readonly PriorityRoute DefaultP3 = new(RouteAction.Page, Urgency.Low);
    public static readonly PriorityRoute DefaultP4 = new(RouteAction.PostOnly, Urgency.Low);

    public PriorityRoute For(Priority priority) => priority switch
    {
        Priority.P1 => P1 ?? DefaultP1,
        Priority.P2 => P2 ?? DefaultP2,
        Priority.P3 => P3 ?? DefaultP3,
        _ => P4 ?? DefaultP4,
    };
}
