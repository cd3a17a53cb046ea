using System.Security.Claims;
using Escalation.Api.Auth;
using Escalation.Api.Http;
using Escalation.Incidents;
using Microsoft.AspNetCore.Http;

namespace Escalation.Api.Incidents;

public sealed record StatusUpdateBody(string? Message, string? By);

/// <summary><c>POST /api/v1/incidents/{id}/status-updates</c>: a status update of an open incident, which starts its reminder clock again.</summary>
public static class StatusUpdateEndpoint
{
    public const int MaxMessageLength = 3000;

    public static async Task<IResult> Post(string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, IncidentHistory history)
    {
        var (body, bad) = await JsonBody.Read<StatusUpdateBody>(request);
        if (bad is not null) return bad;
        body = body! with { Message = body.Message?.ReplaceLineEndings("\n") };
        var v = new Validator();
        v.Require("message", body!.Message, MaxMessageLength);
        // Line breaks are fine in a status update; other control characters could forge log lines.
        if (body.Message is { } message && message.Any(c => char.IsControl(c) && c != '\n'))
            v.Add("message", "'message' must not contain control characters other than line breaks.");
        v.Text("by", body.By, 256);
        if (!v.IsValid) return Problems.Validation(v.Errors);
        var (by, forbidden) = Actor.Of(user, body.By, "by");
        if (forbidden is not null) return forbidden;
        if (!IncidentIds.IsWellFormed(id)) return Problems.NotFound(CommandResult.NotFound(id).Message!);

        var grain = grains.GetGrain<IIncidentGrain>(id);
        var result = await grain.PostStatusUpdate(by!, body.Message!.Trim());
        return result.Outcome switch
        {
            CommandOutcome.NotFound => Problems.NotFound(result.Message!),
            CommandOutcome.Conflict => Problems.Conflict(result.Message!),
            _ => Results.Ok(await history.View((await grain.Get())!)),
        };
    }
}
