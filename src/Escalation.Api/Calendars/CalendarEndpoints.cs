using Escalation.Api.Auth;
using Escalation.Api.Http;
using Escalation.Configuration;
using Escalation.Rotations;
using Escalation.Storage.Calendars;
using Escalation.Storage.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Api.Calendars;

public sealed record CalendarFeedView(string Id, string Kind, string TargetId, DateTimeOffset CreatedAt, string Url);

/// <summary>
/// iCalendar feeds of a rotation's shifts and of one person's shifts across rotations. Calendar apps cannot send an
/// Authorization header, so a feed is read with the secret token in its URL (or with an API key, for scripts).
/// </summary>
public static class CalendarEndpoints
{
    private static readonly TimeSpan Past = TimeSpan.FromDays(7);
    private static readonly TimeSpan Ahead = TimeSpan.FromDays(84);

    public static void MapCalendars(this RouteGroupBuilder api)
    {
        api.MapPost("/rotations/{id}/calendar-feeds", (string id, HttpRequest request, ConfigurationStore store, CalendarFeedStore feeds) =>
                CreateFeed(CalendarFeedStore.RotationFeed, ConfigurationStore.Tables.Rotations, id, request, store, feeds))
            .RequireAuthorization(Policies.Responder).WithTags("calendars");
        api.MapPost("/users/{id}/calendar-feeds", (string id, HttpRequest request, ConfigurationStore store, CalendarFeedStore feeds) =>
                CreateFeed(CalendarFeedStore.UserFeed, ConfigurationStore.Tables.Users, id, request, store, feeds))
            .RequireAuthorization(Policies.Responder).WithTags("calendars");

        var group = api.MapGroup("/calendar-feeds").WithTags("calendars").RequireAuthorization(Policies.Admin);
        group.MapGet("/", async (CalendarFeedStore feeds) => Results.Ok(await feeds.List()));
        group.MapDelete("/{feedId}", async (string feedId, CalendarFeedStore feeds) =>
            await feeds.Delete(feedId) ? Results.NoContent() : Problems.NotFound($"There is no calendar feed '{feedId}'."));

        api.MapGet("/rotations/{id}/calendar.ics", RotationFeed).AllowAnonymous().WithTags("calendars");
        api.MapGet("/users/{id}/calendar.ics", UserFeed).AllowAnonymous().WithTags("calendars");
    }

    private static async Task<IResult> CreateFeed(
        string kind, string table, string id, HttpRequest request, ConfigurationStore store, CalendarFeedStore feeds)
    {
        if ((await store.Missing(table, [id])).Count > 0) return Problems.NotFound($"There is no {kind} '{id}'.");
        var (feed, token) = await feeds.Create(kind, id);
        var url = $"{PublicBase(request)}/api/v1/{table}/{Uri.EscapeDataString(id)}/calendar.ics?token={token}";
        return Results.Created($"{request.PathBase}/api/v1/calendar-feeds/{feed.Id}",
            new CalendarFeedView(feed.Id, feed.Kind, feed.TargetId, feed.CreatedAt, url));
    }

    private static async Task<IResult> RotationFeed(
        string id, string? token, HttpContext context, FailedAuthentications failures, CalendarFeedStore feeds, IGrainFactory grains, TimeProvider clock)
    {
        if (await Refusal(CalendarFeedStore.RotationFeed, id, token, context, failures, feeds) is { } refused) return refused;
        var now = clock.GetUtcNow();
        var grain = grains.GetGrain<IRotationGrain>(RotationKeys.For(id));
        if (await grain.Definition() is not { } rotation || await grain.OnCallBetween(now - Past, now + Ahead) is not { } periods)
            return Problems.NotFound($"There is no rotation '{id}'.");
        var shifts = periods.Select(p => Shift(rotation, p, $"On call: {Who(p)}", string.Join("+", p.UserIds)));
        return Calendar(OnCallCalendar.Render($"On call: {rotation.Name}", shifts, now));
    }

    private static async Task<IResult> UserFeed(
        string id, string? token, HttpContext context, FailedAuthentications failures, ConfigurationStore store, CalendarFeedStore feeds,
        IGrainFactory grains, TimeProvider clock)
    {
        if (await Refusal(CalendarFeedStore.UserFeed, id, token, context, failures, feeds) is { } refused) return refused;
        if ((await store.Missing(ConfigurationStore.Tables.Users, [id])).Count > 0) return Problems.NotFound($"There is no user '{id}'.");
        var now = clock.GetUtcNow();
        var shifts = new List<CalendarShift>();
        // Every rotation, not only those listing the user: an override can put anyone on call.
        foreach (var rotation in await store.List<Rotation>(ConfigurationStore.Tables.Rotations))
        {
            var periods = await grains.GetGrain<IRotationGrain>(RotationKeys.For(rotation.Id)).OnCallBetween(now - Past, now + Ahead) ?? [];
            shifts.AddRange(periods.Where(p => p.UserIds.Contains(id)).Select(p => Shift(rotation, p, $"On call: {rotation.Name}", id)));
        }
        return Calendar(OnCallCalendar.Render($"On call: {id}", shifts.OrderBy(s => s.Start), now));
    }

    private static CalendarShift Shift(Rotation rotation, OnCallPeriod period, string summary, string who)
    {
        var details = $"Rotation {rotation.Name} ({rotation.Id}), shift {period.Shift.Index}: scheduled {period.Shift.UserId}, on call {Who(period)}.";
        if (period.OverrideIds.Count > 0) details += $" Overrides: {string.Join(", ", period.OverrideIds)}.";
        return new CalendarShift(rotation.Id, summary, details, period.Start, period.End, who);
    }

    private static string Who(OnCallPeriod period) => period.UserIds.Count == 0 ? "no one" : string.Join(", ", period.UserIds);

    /// <summary>Null when the caller may read the feed (an API key, or the feed's token); else the answer.</summary>
    private static async Task<IResult?> Refusal(
        string kind, string id, string? token, HttpContext context, FailedAuthentications failures, CalendarFeedStore feeds)
    {
        if (context.User.Identity?.IsAuthenticated == true) return null;
        if (string.IsNullOrEmpty(token)) return TokenRefused();
        // A token opens one feed: what is remembered as unknown is the token for this feed.
        var check = await failures.Check(context, $"calendar:{kind}:{id}", token, async t => await feeds.Opens(kind, id, t) ? Opened : null);
        if (check.Throttled) return new TooManyRequests(check.RetryAfter!.Value, "Too many unknown calendar tokens came from this address: try again later.");
        return check.Found is null ? TokenRefused() : null;
    }

    private static readonly object Opened = new();

    private static IResult TokenRefused() => TypedResults.Problem(
        "This calendar needs the token from its feed URL (?token=...), or an API key. Create a feed with POST .../calendar-feeds.",
        statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required.");

    private static IResult Calendar(string ics) => new NoStore(Results.Text(ics, OnCallCalendar.ContentType));

    /// <summary>A feed read with a secret in its URL is nobody's to cache but the subscriber's.</summary>
    private sealed class NoStore(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers.CacheControl = "private, no-store";
            return inner.ExecuteAsync(context);
        }
    }

    private static string PublicBase(HttpRequest request)
    {
        var configured = request.HttpContext.RequestServices.GetRequiredService<IConfiguration>()["Escalation:PublicBaseUrl"];
        return string.IsNullOrEmpty(configured) ? $"{request.Scheme}://{request.Host}{request.PathBase}" : configured.TrimEnd('/');
    }
}
