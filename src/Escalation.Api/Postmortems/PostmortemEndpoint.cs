using Escalation.Api.Http;
using Escalation.Api.Incidents;
using Escalation.Incidents;
using Escalation.Json;
using Escalation.Practice;
using Escalation.Storage.Incidents;
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
        IGrainFactory grains, IncidentHistory history, ConfigurationStore store, IncidentReports reports, TimeProvider clock)
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
        var now = clock.GetUtcNow();
        var slo = service?.AcknowledgementSlo is { } declared ? await SloLine(state, declared, reports, now) : null;
        var markdown = PostmortemDraft.Render(new PostmortemInput(state, view.Timeline, view.RecentChanges, service?.Name ?? state.ServiceId,
            service?.PostmortemTemplate, zone, url, now, slo), locale ?? service?.Locale);
        return Results.Text(markdown, "text/markdown; charset=utf-8");
    }

    /// <summary>"99% of P1 acknowledged within PT15M over P30D: missed by this incident; 62% of the budget left".</summary>
    private static async Task<string> SloLine(IncidentState incident, AcknowledgementSlo slo, IncidentReports reports, DateTimeOffset now)
    {
        var own = SliEvent.Of(incident, slo, now).ToList();
        var verdict = incident.Priority != slo.Priority || incident.Source == SliEvent.SloSource ? $"not counted ({incident.Priority})"
            : own.Count == 0 ? "not measured yet"
            : own.TrueForAll(e => e.Good) ? "met by this incident" : "missed by this incident";
        var status = await SloReading.Read(reports, incident.ServiceId, slo, now);
        return $"{slo.Objective:0.###%} of {slo.Priority} acknowledged within {IsoDuration.Format(slo.Within)} over {IsoDuration.Format(slo.Window)}: " +
            $"{verdict}; {status.BudgetLeft:0%} of the budget left";
    }
}
