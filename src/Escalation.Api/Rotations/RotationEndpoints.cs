using Escalation.Api.Calendars;
using Escalation.Api.Configuration;
using Escalation.Api.Http;
using Escalation.Configuration;
using Escalation.Rotations;
using Escalation.Storage.Calendars;
using Escalation.Storage.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Api.Rotations;

public sealed record RotationBody(
    string? Name, string? TimeZone, string? Type, int? ShiftLength, string? Start, List<string>? Participants, string? AnnounceChannel);

/// <summary>
/// <c>/api/v1/rotations</c>: the rotation itself is a configuration resource like the others; writing or deleting it
/// tells its grain, which schedules the handoffs. Who is on call, overrides, swaps and calendars hang off it.
/// </summary>
public static partial class RotationEndpoints
{
    public static void MapRotations(this RouteGroupBuilder api)
    {
        var group = api.MapResource<RotationBody, Rotation>("/rotations", ConfigurationStore.Tables.Rotations, "rotation", Build, new ResourceHooks
        {
            Written = TellGrain,
            Deleted = async (id, services) =>
            {
                await TellGrain(id, services);
                await services.GetRequiredService<CalendarFeedStore>().DeleteFor(CalendarFeedStore.RotationFeed, id);
            },
        });
        group.MapOnCall();
        group.MapOverrides();
        group.MapSwapRequests();
        group.MapGet("/{id}/announcements", async (string id, IGrainFactory grains) =>
                RotationProblems.Found(id, await grains.GetGrain<IRotationGrain>(RotationKeys.For(id)).Announcements()))
            .RequireAuthorization(Auth.Policies.Responder);
    }

    /// <summary>The grain re-reads the stored rotation; when it is gone, the grain forgets its overrides and handoffs.</summary>
    private static Task TellGrain(string id, IServiceProvider services) =>
        services.GetRequiredService<IGrainFactory>().GetGrain<IRotationGrain>(RotationKeys.For(id)).Reschedule();

    private static async Task<(Rotation?, IResult?)> Build(string id, RotationBody body, ConfigurationStore store)
    {
        var v = new Validator();
        v.Require("name", body.Name);
        v.Text("name", body.Name, 256);
        var type = body.Type switch
        {
            "hourly" => RotationType.Hourly,
            "daily" => RotationType.Daily,
            "weekly" => RotationType.Weekly,
            _ => (RotationType?)null,
        };
        if (type is null) v.Add("type", "'type' must be hourly, daily or weekly.");
        if (body.ShiftLength is null) v.Add("shift_length", "'shift_length' is required: how many hours, days or weeks one shift lasts.");
        var start = v.Timestamp("start", body.Start);
        if (body.AnnounceChannel is { } channel && !SlackChannelId().IsMatch(channel))
            v.Add("announce_channel", "'announce_channel' must be a Slack channel id such as C0123456789.");
        if (body.TimeZone is null) v.Add("time_zone", "'time_zone' is required: an IANA time zone such as Asia/Tokyo.");
        if (body.Participants is { Count: > 100 }) v.Add("participants", "'participants' may list at most 100 user ids.");
        if (!v.IsValid) return (null, Problems.Validation(v.Errors));

        var rotation = new Rotation(id, body.Name!, body.TimeZone!, type!.Value, body.ShiftLength!.Value, start!.Value,
            body.Participants ?? [], body.AnnounceChannel);
        foreach (var error in RotationValidation.Errors(rotation.Schedule)) v.Add(error.Field, error.Message);
        if (!v.IsValid) return (null, Problems.Validation(v.Errors));

        var missing = await store.Missing(ConfigurationStore.Tables.Users, rotation.Participants);
        return missing.Count > 0 ? (null, Problems.MissingReferences(missing.Select(u => ("user", u)).ToList())) : (rotation, null);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[CG][A-Z0-9]{5,31}$")]
    private static partial System.Text.RegularExpressions.Regex SlackChannelId();
}
