using Escalation.Api.Auth;
using Escalation.Api.Http;
using Escalation.Practice;
using Escalation.Storage.Configuration;
using Escalation.Storage.Incidents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escalation.Api.Slo;

public sealed record SloRuleView(double Threshold, TimeSpan Long, TimeSpan Short, bool Firing);

public sealed record SloView(
    string ServiceId,
    AcknowledgementSlo Slo,
    int Events,
    int Good,
    double? Sli,
    double BudgetLeft,
    IReadOnlyList<BurnWindow> BurnRates,
    IReadOnlyList<SloRuleView> Rules,
    string? AlertIncidentId);

/// <summary><c>GET /api/v1/services/{id}/slo</c>: the service's acknowledgement SLO now: SLI, budget left, burn rates and rules.</summary>
public static class SloEndpoint
{
    public static void MapSlo(this RouteGroupBuilder api) =>
        api.MapGet("/services/{id}/slo", Get).WithTags("services").RequireAuthorization(Policies.Responder);

    private static async Task<IResult> Get(string id, ConfigurationStore store, IncidentReports incidents, IGrainFactory grains, TimeProvider clock)
    {
        if (await store.FindService(id) is not { } service) return Problems.NotFound($"There is no service '{id}'.");
        if (service.AcknowledgementSlo is not { } slo) return Problems.NotFound($"Service '{id}' declares no acknowledgement_slo.");
        var now = clock.GetUtcNow();
        var status = await SloReading.Read(incidents, id, slo, now);
        var alert = await grains.GetGrain<ISloGrain>(SloKeys.For(id)).AlertIncident();
        return Results.Ok(new SloView(id, slo, status.Events, status.Good, status.Sli, Math.Round(status.BudgetLeft, 4), status.Windows,
            [.. SloStatus.Rules.Select(r => new SloRuleView(r.Threshold, r.Long, r.Short, r == status.Firing))], alert));
    }
}
