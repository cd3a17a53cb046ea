using Escalation.Api.Auth;
using Escalation.Api.Http;
using Escalation.Practice;
using Escalation.Storage.Configuration;
using Escalation.Storage.Incidents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Escalation.Api.Reports;

public static class ReportEndpoints
{
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(30);
    public static readonly TimeSpan LongestRange = TimeSpan.FromDays(366);

    public static void MapReports(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/reports").WithTags("reports").RequireAuthorization(Policies.Responder);
        group.MapGet("/response", Response);
    }

    /// <summary>
    /// <c>GET /api/v1/reports/response?from=&amp;to=&amp;service_id=</c>: the incidents opened in [from, to), 30 days up
    /// to now by default, per service and priority, with the on-call load of their pages.
    /// </summary>
    private static async Task<IResult> Response(string? from, string? to, [FromQuery(Name = "service_id")] string? serviceId,
        IncidentReports reports, ConfigurationStore store, IOptions<ReportOptions> options, TimeProvider clock)
    {
        var v = new Validator();
        var now = clock.GetUtcNow();
        var until = v.Timestamp("to", to, required: false) ?? now;
        var since = v.Timestamp("from", from, required: false) ?? until - DefaultRange;
        if (serviceId is not null) v.Id("service_id", serviceId);
        if (v.IsValid && since >= until) v.Add("from", "'from' must be before 'to'.");
        else if (v.IsValid && until - since > LongestRange) v.Add("from", "'from' and 'to' may be at most 366 days apart.");
        if (!v.IsValid) return Problems.Validation(v.Errors);

        var limit = options.Value.MaxIncidents;
        var incidents = await reports.OpenedBetween(since, until, serviceId, limit + 1);
        if (incidents.Count > limit)
            return Problems.Validation("from", $"More than {limit} incidents were opened in this range: narrow it, or ask for one service_id.");
        var pages = await reports.PagesSent([.. incidents.Select(i => i.Id)]);
        var zones = new Dictionary<string, DateTimeZone>();
        foreach (var userId in pages.Select(p => p.UserId).Distinct())
            zones[userId] = await store.FindUser(userId) is { } user && DateTimeZoneProviders.Tzdb.GetZoneOrNull(user.TimeZone) is { } zone ? zone : DateTimeZone.Utc;
        var hours = new WorkingHours(LocalTime.FromTimeOnly(options.Value.WorkdayStart), LocalTime.FromTimeOnly(options.Value.WorkdayEnd));
        return Results.Ok(ResponseReport.Of(since, until, incidents, pages, id => zones.GetValueOrDefault(id, DateTimeZone.Utc), hours, now));
    }
}
