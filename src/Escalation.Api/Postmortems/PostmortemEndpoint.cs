using Escalation.Api.Http;
using Escalation.Api.Incidents;
using Escalation.Incidents;
using Escalation.Storage.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Escalation.Api.Postmortems;

/// <summary>
/// <c>GET /api/v1/incidents/{id}/postmortem?locale=ja|en&amp;time_zone=Asia/Tokyo</c>: the incident's postmortem draft in
/// Markdown, in the service's locale and UTC unless asked otherwise. Rendered when read, so it is never out of date.
/// </summary>
public static class PostmortemEndpoint
{
    public static async Task<IResult> Get(string id, string? locale, [FromQuery(Name = "time_zone")] string? timeZone, HttpRequest request,
        IGrainFactory grains, IncidentHistory history, ConfigurationStore store, TimeProvider clock)
    {
        var v = new Validator();
        if (locale is not null and not ("en" or "ja")) v.Add("locale", "'locale' must be en or ja.");
        if (timeZone is not null) v.TimeZone("time_zone", timeZone);
        if (!v.IsValid) return Problems.Validation(v.Errors);
        if (!IncidentIds.IsWellFormed(id) || await grains.GetGrain<IIncidentGrain>(id).Get() is not { } state)
            return Problems.NotFound(CommandResult.NotFound(id).Message!);

        var view = await history.View(state);
        var service = await store.FindService(state.ServiceId);
        var zone = timeZone is null ? DateTimeZone.Utc : DateTimeZoneProviders.Tzdb[timeZone];
        var url = $"{PublicBase.Of(request)}/api/v1/incidents/{Uri.EscapeDataString(id)}";
        var markdown = PostmortemDraft.Render(new PostmortemInput(state, view.Timeline, view.RecentChanges, service?.Name ?? state.ServiceId,
            service?.PostmortemTemplate, zone, url, clock.GetUtcNow()), locale ?? service?.Locale);
        return Results.Text(markdown, "text/markdown; charset=utf-8");
    }
}
