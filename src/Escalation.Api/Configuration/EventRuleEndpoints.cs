using System.Text.Json;
using Escalation.Alerts;
using Escalation.Api.Alerts;
using Escalation.Api.Auth;
using Escalation.Api.Http;
using Escalation.Api.Incidents;
using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Routing;
using Escalation.Storage.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Escalation.Api.Configuration;

public sealed record TestLinkBody(string? Href, string? Text);

/// <summary>An alert to try the rules on, in the fields rules test.</summary>
public sealed record TestAlertBody(
    string? Summary, string? Source, string? Severity, string? Client, string? Component, string? Group, string? Class,
    Dictionary<string, string>? Labels, JsonElement? CustomDetails, List<TestLinkBody?>? Links);

/// <param name="EventRules">Rules to try instead of the service's saved ones (to test a change before saving it).</param>
public sealed record RuleTestBody(TestAlertBody? Alert, List<EventRuleBody?>? EventRules);

public sealed record MatchedRuleView(string ServiceId, int Index, string? Name);

/// <summary>What an alert would meet: which rules matched, where it goes, with which priority, and what that does.</summary>
public sealed record RuleTestResult(
    IReadOnlyList<MatchedRuleView> Matched, string ServiceId, Priority Priority, string PriorityReason, Severity Severity,
    Urgency Urgency, RouteAction Action, bool PostsToChannel, bool Suppressed, IReadOnlyList<IncidentLink> AddedLinks, string? DiscordChannel)
{
    public static RuleTestResult Of(AlertDecision d) => new(
        [.. d.Matched.Select(m => new MatchedRuleView(m.ServiceId, m.Index, m.Rule.Name))],
        d.ServiceId, d.Priority, d.PriorityReason, d.Severity, d.Urgency, d.Suppressed ? RouteAction.RecordOnly : d.Route.Action,
        !d.Suppressed && d.Route.Posts, d.Suppressed, d.AddedLinks, !d.Suppressed && d.Route.PostsToDiscord ? d.Route.DiscordChannel : null);
}

public static class EventRuleEndpoints
{
    public static void MapEventRules(this RouteGroupBuilder api) =>
        api.MapPost("/services/{id}/rules/test", Test).WithTags("service").RequireAuthorization(Policies.Responder);

    /// <summary>Runs the same decision ingestion runs (<see cref="AlertIntake.Decide"/>) on the given alert, acting on nothing.</summary>
    private static async Task<IResult> Test(string id, HttpRequest request, ConfigurationStore store, AlertIntake intake)
    {
        var (body, bad) = await JsonBody.Read<RuleTestBody>(request);
        if (bad is not null) return bad;
        if (await store.FindService(id) is not { } service) return Problems.NotFound($"Service '{id}' does not exist.");

        var v = new Validator();
        var alert = Alert(v, body!.Alert);
        var rules = RoutingValidation.Rules(v, body.EventRules);
        if (!v.IsValid) return Problems.Validation(v.Errors);
        var decision = await intake.Decide(rules is null ? service : service with { EventRules = rules }, alert!);
        return Results.Ok(RuleTestResult.Of(decision));
    }

    private static InboundAlert? Alert(Validator v, TestAlertBody? body)
    {
        if (body is null)
        {
            v.Add("alert", "'alert' is required: the alert to try the rules on.");
            return null;
        }
        v.Require("alert.summary", body.Summary, 1024);
        Severity? severity = null;
        if (body.Severity is not null && (severity = SeverityNames.Parse(body.Severity)) is null)
            v.Add("alert.severity", "'alert.severity' must be critical, error, warning or info (or left out).");
        var links = new List<IncidentLink>();
        for (var i = 0; i < (body.Links?.Count ?? 0); i++)
        {
            if (body.Links![i] is { Href: { Length: > 0 } href } link) links.Add(new IncidentLink(href, link.Text));
            else v.Add($"alert.links[{i}].href", $"'alert.links[{i}].href' is required.");
        }
        return new InboundAlert(AlertAction.Trigger, null, body.Summary ?? "", severity, body.Source, body.Client ?? "events-v2",
            body.Component, body.Group, body.Class, body.CustomDetails?.GetRawText(), body.Labels, links);
    }
}
