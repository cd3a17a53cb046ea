using Escalation.Notifications;

namespace Escalation.Routing;

/// <summary>What an incident of one priority does: page people, only post to the service's channel, or only be recorded.</summary>
[GenerateSerializer, Alias("escalation.route-action")]
public enum RouteAction
{
    Page,
    PostOnly,
    RecordOnly,
}

/// <summary>
/// The route of one priority. <paramref name="Urgency"/> chooses, for a paging route, which of each person's
/// notification rules apply; <paramref name="PostToChannel"/> posts the incident in the service's channel as well
/// (a post-only route always posts). A route that posts, with <paramref name="DiscordChannel"/> (a name configured
/// under <c>Escalation:Discord:Channels</c>), posts in that Discord channel too.
/// </summary>
[GenerateSerializer, Alias("escalation.priority-route")]
public sealed record PriorityRoute(
    [property: Id(0)] RouteAction Action,
    [property: Id(1)] Urgency Urgency = Urgency.High,
    [property: Id(2)] bool PostToChannel = false,
    [property: Id(3)] string? DiscordChannel = null)
{
    public bool Pages => Action == RouteAction.Page;

    public bool Posts => Action == RouteAction.PostOnly || (Action == RouteAction.Page && PostToChannel);

    public bool PostsToDiscord => Posts && DiscordChannel is not null;
}

public static class RouteNames
{
    /// <summary>The route as the API writes it: page, post_only, record_only.</summary>
    public static string Of(RouteAction action) => action switch
    {
        RouteAction.Page => "page",
        RouteAction.PostOnly => "post_only",
        _ => "record_only",
    };
}
