using Escalation.Api.Auth;
using Escalation.Api.Http;
using Escalation.Rotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escalation.Api.Rotations;

/// <summary><c>GET /rotations/{id}/oncall</c> and <c>GET /rotations/{id}/shifts</c>, overrides applied.</summary>
public static class OnCallEndpoints
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(28);
    public static readonly TimeSpan LongestWindow = TimeSpan.FromDays(366);

    public static void MapOnCall(this RouteGroupBuilder rotations)
    {
        rotations.MapGet("/{id}/oncall", async (string id, string? at, IGrainFactory grains, TimeProvider clock) =>
        {
            var v = new Validator();
            var when = at is null ? clock.GetUtcNow() : v.Timestamp("at", at);
            if (!v.IsValid) return Problems.Validation(v.Errors);
            var grain = grains.GetGrain<IRotationGrain>(RotationKeys.For(id));
            return await grain.Definition() is { } rotation && await grain.OnCallAt(when!.Value) is { } period
                ? Results.Ok(OnCallView.Of(rotation, when.Value, period))
                : RotationProblems.NotFound(id);
        }).RequireAuthorization(Policies.Responder);

        rotations.MapGet("/{id}/shifts", async (string id, string? from, string? to, IGrainFactory grains, TimeProvider clock) =>
        {
            var v = new Validator();
            var start = from is null ? clock.GetUtcNow() : v.Timestamp("from", from);
            var end = to is null ? start + DefaultWindow : v.Timestamp("to", to);
            if (v.IsValid && end <= start) v.Add("to", "'to' must be after 'from'.");
            if (v.IsValid && end - start > LongestWindow) v.Add("to", "The window from 'from' to 'to' may span at most 366 days.");
            if (!v.IsValid) return Problems.Validation(v.Errors);

            var grain = grains.GetGrain<IRotationGrain>(RotationKeys.For(id));
            if (await grain.Definition() is not { } rotation || await grain.OnCallBetween(start!.Value, end!.Value) is not { } periods)
                return RotationProblems.NotFound(id);
            var zone = new RotationZone(rotation);
            return Results.Ok(new ShiftsView(id, zone.Show(start.Value), zone.Show(end.Value), periods.Select(p => ShiftView.Of(zone, p)).ToList()));
        }).RequireAuthorization(Policies.Responder);
    }
}

public static class RotationProblems
{
    public static IResult NotFound(string id) => Problems.NotFound($"There is no rotation '{id}'.");

    /// <summary>200 with what the rotation grain answered, or 404 when it answered that there is no such rotation.</summary>
    public static IResult Found<T>(string id, T? value) where T : class => value is null ? NotFound(id) : Results.Ok(value);

    /// <summary>The HTTP answer to a change asked of the rotation grain: <paramref name="done"/>'s, or the problem.</summary>
    public static IResult Of(RotationChange change, Func<RotationChange, IResult> done) => change.Outcome switch
    {
        RotationOutcome.Done => done(change),
        RotationOutcome.NotFound => Problems.NotFound(change.Message!),
        RotationOutcome.Conflict => Problems.Conflict(change.Message!),
        RotationOutcome.Forbidden => Problems.Forbidden(change.Message!),
        _ => Problems.Validation(change.Field ?? "body", change.Message!),
    };
}
