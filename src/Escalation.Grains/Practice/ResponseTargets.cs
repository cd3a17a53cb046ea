using Escalation.Routing;

namespace Escalation.Practice;

/// <summary>
/// A service's response targets per priority. An unset priority takes the ops standard's: P1 first response 15 min and
/// recovery 1 h, P2 30 min and 4 h, P3 2 h and 8 h, P4 none. A priority set with both durations null has none.
/// </summary>
[GenerateSerializer, Alias("escalation.response-targets")]
public sealed record ResponseTargets(
    [property: Id(0)] ResponseTarget? P1 = null,
    [property: Id(1)] ResponseTarget? P2 = null,
    [property: Id(2)] ResponseTarget? P3 = null,
    [property: Id(3)] ResponseTarget? P4 = null)
{
    public static readonly ResponseTarget DefaultP1 = new(TimeSpan.FromMinutes(15), TimeSpan.FromHours(1));
    public static readonly ResponseTarget DefaultP2 = new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(4));
    public static readonly ResponseTarget DefaultP3 = new(TimeSpan.FromHours(2), TimeSpan.FromHours(8));

    public ResponseTarget For(Priority priority) => priority switch
    {
        Priority.P1 => P1 ?? DefaultP1,
        Priority.P2 => P2 ?? DefaultP2,
        Priority.P3 => P3 ?? DefaultP3,
        _ => P4 ?? ResponseTarget.None,
    };

    public static ResponseTarget Of(ResponseTargets? service, Priority priority) => (service ?? new ResponseTargets()).For(priority);
}
