using Escalation.Incidents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Escalation.Silo.Channels.SendGrid;

/// <summary>
/// The links in page emails. Mail scanners open links, so GET only shows a confirmation page; the form on it POSTs,
/// and only the POST acknowledges or resolves, as the user the link was made for. A link spent by what happened to
/// its incident since (<see cref="LinkValidity"/>) is answered 410 with a page that says so, on GET and POST alike.
/// The POST does not read the incident first: its command carries the link's expectation and the incident grain
/// refuses it in its own turn, so a re-trigger between the click and the command cannot slip through.
/// </summary>
public static class ActionLinkEndpoints
{
    public static void MapActionLinks(this IEndpointRouteBuilder app)
    {
        app.MapGet("/links/{token}", Confirm).AllowAnonymous().WithTags("links");
        app.MapPost("/links/{token}", Act).AllowAnonymous().WithTags("links").DisableAntiforgery();
    }

    private static async Task<IResult> Confirm(string token, HttpRequest request, ActionLinkKeys keys, IGrainFactory grains, TimeProvider clock)
    {
        var (link, incident, problem) = await ReadStanding(token, keys, grains, clock);
        if (problem is not null) return problem;
        return Html(ActionLinkPage.Confirm(incident!.Title, link!.Action, $"{request.PathBase}{request.Path}"));
    }

    private static async Task<IResult> Act(string token, ActionLinkKeys keys, IGrainFactory grains, TimeProvider clock, ILoggerFactory loggers)
    {
        var (link, problem) = await Read(token, keys, clock);
        if (problem is not null) return problem;
        var command = link!.Action == LinkAction.Acknowledge ? IncidentCommand.Acknowledge : IncidentCommand.Resolve;
        var result = await grains.Run(link.IncidentId, command, link.UserId, "via email", LinkValidity.Expectation(link));
        loggers.CreateLogger("Escalation.Silo.Channels.SendGrid").LogInformation("email.link user={UserId} incident={IncidentId} command={Command} outcome={Outcome}",
            link.UserId, link.IncidentId, command, result.Outcome);
        return result.Outcome switch
        {
            CommandOutcome.Done => Html(ActionLinkPage.Done(
                $"Incident {link.IncidentId} is {(command == IncidentCommand.Acknowledge ? "acknowledged" : "resolved")} by {link.UserId}.")),
            CommandOutcome.NotFound => Html(ActionLinkPage.Problem("This incident no longer exists."), StatusCodes.Status404NotFound),
            // Whatever the incident refuses a link's command for (answered, resolved, paged again) spends the link.
            _ => Html(ActionLinkPage.Problem($"This link is spent. {result.Message}"), StatusCodes.Status410Gone),
        };
    }

    /// <summary>The link and its incident while the link still stands for it; else the page that says why not.</summary>
    private static async Task<(ActionLink?, IncidentState?, IResult?)> ReadStanding(string token, ActionLinkKeys keys, IGrainFactory grains, TimeProvider clock)
    {
        var (link, problem) = await Read(token, keys, clock);
        if (problem is not null) return (null, null, problem);
        var incident = IncidentIds.IsWellFormed(link!.IncidentId) ? await grains.GetGrain<IIncidentGrain>(link.IncidentId).Get() : null;
        if (incident is null) return (null, null, Html(ActionLinkPage.Problem("This incident no longer exists."), StatusCodes.Status404NotFound));
        if (LinkValidity.Stale(link, incident) is { } stale)
            return (null, null, Html(ActionLinkPage.Problem($"This link is spent. {stale}"), StatusCodes.Status410Gone));
        return (link, incident, null);
    }

    private static async Task<(ActionLink?, IResult?)> Read(string token, ActionLinkKeys keys, TimeProvider clock)
    {
        var signer = await keys.Signer();
        return signer.Read(token, clock.GetUtcNow(), out var link) switch
        {
            LinkCheck.Valid => (link, null),
            LinkCheck.Expired => (null, Html(ActionLinkPage.Problem("This link has expired. Open the incident in Slack or the API instead."), StatusCodes.Status410Gone)),
            _ => (null, Html(ActionLinkPage.Problem("This link is not valid."), StatusCodes.Status404NotFound)),
        };
    }

    private static IResult Html(string page, int status = StatusCodes.Status200OK) =>
        Results.Content(page, "text/html; charset=utf-8", statusCode: status);
}
