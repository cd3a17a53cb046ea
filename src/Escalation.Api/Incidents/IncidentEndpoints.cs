using System.Security.Claims;
using System.Text.Json;
using Escalation.Alerts;
using Escalation.Api.Auth;
using Escalation.Api.Http;
using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Json;
using Escalation.Routing;
using Escalation.Storage.Configuration;
using Escalation.Storage.Incidents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Escalation.Api.Incidents;

public sealed record CreateIncidentBody(string? ServiceId, string? Title, string? Severity, string? DedupKey, JsonElement? Details, Priority? Priority = null);

/// <summary>An acknowledge, resolve, escalate or priority change; a resolve may also tell the recovery for its post.</summary>
public sealed record IncidentActionBody(string? By, string? Note, string? WhatWasDone = null, string? HowConfirmed = null, string? FollowUps = null,
    Priority? Priority = null)
{
    /// <summary>The note of a resolve is its "what was done" unless that is told on its own.</summary>
    public Recovery Recovery => new(string.IsNullOrWhiteSpace(WhatWasDone) ? Note : WhatWasDone, HowConfirmed, FollowUps);
}

public static class IncidentEndpoints
{
    private static readonly string[] Statuses = ["triggered", "acknowledged", "resolved"];

    public static void MapIncidents(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/incidents").WithTags("incidents").RequireAuthorization(Policies.Responder);

        // limit and offset are read as text so that "abc" is a 400 naming the field, not a failed binding.
        group.MapGet("/", async (string? status, [FromQuery(Name = "service_id")] string? serviceId, string? priority, string? limit, string? offset, IncidentList list) =>
        {
            var statuses = (status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var priorities = (priority ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var v = new Validator();
            foreach (var p in priorities.Where(p => PriorityNames.Parse(p) is null))
                v.Add("priority", $"'{p}' is not a priority: use P1, P2, P3 or P4 (comma-separated for several).");
            foreach (var s in statuses.Where(s => !Statuses.Contains(s)))
                v.Add("status", $"'{s}' is not a status: use triggered, acknowledged or resolved (comma-separated for several).");
            if (serviceId is not null) v.Id("service_id", serviceId);
            var pageSize = v.WholeNumber("limit", limit, 1, 100);
            var skip = v.WholeNumber("offset", offset, 0, int.MaxValue);
            if (!v.IsValid) return Problems.Validation(v.Errors);
            return Results.Ok(await list.Find(statuses, serviceId, pageSize ?? 25, skip ?? 0,
                [.. priorities.Select(p => PriorityNames.Parse(p)!.Value.ToString())]));
        });

        group.MapPost("/", Create);

        group.MapGet("/{id}", async (string id, IGrainFactory grains, IncidentHistory history) =>
            IncidentIds.IsWellFormed(id) && await grains.GetGrain<IIncidentGrain>(id).Get() is { } state
                ? Results.Ok(await history.View(state))
                : Problems.NotFound(CommandResult.NotFound(id).Message!));
        group.MapGet("/{id}/notifications", async (string id, IGrainFactory grains, NotificationLog log, IncidentHistory history) =>
        {
            if (!IncidentIds.IsWellFormed(id) || await grains.GetGrain<IIncidentGrain>(id).Get() is not { } state)
                return Problems.NotFound(CommandResult.NotFound(id).Message!);
            // The ledger is read after the incident: a channel settles there before it reports to the incident, so
            // whatever the incident calls sent or failed already has all its attempts in the ledger.
            var deliveries = await log.ForIncident(id);
            return Results.Ok((await history.Notifications(state)).Select(n => NotificationView.Of(n, deliveries.GetValueOrDefault(n.Id))));
        });

        MapAction(group, "acknowledge", (g, by, body) => g.Acknowledge(by, body.Note));
        MapAction(group, "resolve", (g, by, body) => g.Resolve(by, body.Note, body.Recovery));
        MapAction(group, "escalate", (g, by, body) => g.Escalate(by, body.Note));
        MapAction(group, "priority", (g, by, body) => g.SetPriority(body.Priority!.Value, by));
        group.MapPost("/{id}/status-updates", StatusUpdateEndpoint.Post);
        group.MapGet("/{id}/postmortem", Postmortems.PostmortemEndpoint.Get);
    }

    private static async Task<IResult> Create(HttpRequest request, ClaimsPrincipal user, ConfigurationStore store, IGrainFactory grains, IncidentHistory history)
    {
        var (body, bad) = await JsonBody.Read<CreateIncidentBody>(request);
        if (bad is not null) return bad;
        var v = new Validator();
        v.Require("service_id", body!.ServiceId, 64);
        v.Require("title", body.Title, 1024);
        var severity = SeverityNames.Parse(body.Severity ?? "critical");
        if (severity is null) v.Add("severity", "'severity' must be critical, error, warning or info.");
        if (body.DedupKey is { Length: > 255 }) v.Add("dedup_key", "'dedup_key' must be at most 255 characters.");
        if (!v.IsValid) return Problems.Validation(v.Errors);
        if (await store.FindService(body.ServiceId!) is null) return Problems.MissingReferences([("service", body.ServiceId!)]);

        var dedupKey = string.IsNullOrWhiteSpace(body.DedupKey) ? Guid.NewGuid().ToString("N") : body.DedupKey;
        var trigger = new IncidentTrigger(body.ServiceId!, dedupKey, body.Title!, severity!.Value, null, null, null, null,
            body.Details?.GetRawText(), [], Actor.Of(user, null, "by").Actor!, body.Priority,
            PriorityReason: body.Priority is null ? null : "set when the incident was opened by hand");
        var id = await grains.GetGrain<IAlertKeyGrain>(AlertKeys.For(body.ServiceId!, dedupKey)).Trigger(trigger);
        var state = await grains.GetGrain<IIncidentGrain>(id).Get();
        var view = await history.View(state!);
        return state!.AlertCount == 1
            ? Results.Created($"{request.PathBase}/api/v1/incidents/{id}", view)
            : Results.Ok(view);
    }

    private static void MapAction(RouteGroupBuilder group, string action, Func<IIncidentGrain, string, IncidentActionBody, Task<CommandResult>> act) =>
        group.MapPost($"/{{id}}/{action}", async (string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, IncidentHistory history) =>
        {
            IncidentActionBody body = new(null, null);
            if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
            {
                var (read, bad) = await JsonBody.Read<IncidentActionBody>(request);
                if (bad is not null) return bad;
                body = read!;
            }
            if (action == "priority" && body.Priority is null) return Problems.Validation("priority", "'priority' is required: P1, P2, P3 or P4.");
            if (action != "priority" && body.Priority is not null) return Problems.Validation("priority", "'priority' goes with the priority action only.");
            if (body.By is { Length: > 256 }) return Problems.Validation("by", "'by' must be at most 256 characters.");
            if (body.Note is { Length: > 4096 }) return Problems.Validation("note", "'note' must be at most 4096 characters.");
            foreach (var (field, value) in new[] { ("what_was_done", body.WhatWasDone), ("how_confirmed", body.HowConfirmed), ("follow_ups", body.FollowUps) })
            {
                if (value is null) continue;
                if (action != "resolve") return Problems.Validation(field, $"'{field}' tells a recovery: it goes with resolve only.");
                if (value.Length > 4096) return Problems.Validation(field, $"'{field}' must be at most 4096 characters.");
            }
            var (by, forbidden) = Actor.Of(user, body.By, "by");
            if (forbidden is not null) return forbidden;
            if (!IncidentIds.IsWellFormed(id)) return Problems.NotFound(CommandResult.NotFound(id).Message!);

            var grain = grains.GetGrain<IIncidentGrain>(id);
            var result = await act(grain, by!, body);
            return result.Outcome switch
            {
                CommandOutcome.NotFound => Problems.NotFound(result.Message!),
                CommandOutcome.Conflict => Problems.Conflict(result.Message!),
                _ => Results.Ok(await history.View((await grain.Get())!)),
            };
        });
}
