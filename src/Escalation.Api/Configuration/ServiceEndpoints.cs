using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Escalation.Api.Auth;
using Escalation.Api.Http;
using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Json;
using Escalation.Notifications;
using Escalation.Practice;
using Escalation.Routing;
using Escalation.Storage.Auth;
using Escalation.Storage.Configuration;
using Escalation.Storage.Integrations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Api.Configuration;

public sealed record ServiceBody(
    string? Name,
    string? EscalationPolicyId,
    string? IntegrationKey,
    string? AcknowledgementTimeout,
    string? Urgency,
    string? SlackChannel,
    string? Locale,
    string? DeclarationTemplate,
    string? RecoveryTemplate,
    ServiceRoutingBody? Routing = null,
    List<EventRuleBody?>? EventRules = null,
    Priority? DefaultPriority = null,
    ResponseTargetsBody? ResponseTargets = null,
    StatusUpdatesBody? StatusUpdates = null,
    string? PostmortemTemplate = null,
    AcknowledgementSloBody? AcknowledgementSlo = null,
    List<IncidentLink?>? Dashboards = null);

public static partial class ServiceEndpoints
{
    public static void MapServices(this RouteGroupBuilder api) =>
        api.MapResource<ServiceBody, Service>("/services", ConfigurationStore.Tables.Services, "service", Build, new ResourceHooks
        {
            // A monitor may have tried the routing key before the service had it.
            Written = async (id, services) =>
            {
                services.GetRequiredService<FailedAuthentications>().Forget();
                var declared = await services.GetRequiredService<ConfigurationStore>().FindService(id) is { AcknowledgementSlo: not null };
                await TellSlo(services, id, declared);
            },
            Deleted = (id, services) => TellSlo(services, id, declared: false),
        }, ShownTo);

    private static Task TellSlo(IServiceProvider services, string id, bool declared) =>
        GrainNotice.Tell(services, "slo", id, grains => grains.GetGrain<ISloGrain>(SloKeys.For(id)).Watch(declared));

    /// <summary>A routing key opens incidents on its service and pages people: only admins see it.</summary>
    private static object ShownTo(Service service, ClaimsPrincipal user)
    {
        if (user.IsInRole(Roles.Admin)) return service;
        var shown = JsonSerializer.SerializeToNode(service, EscalationJson.Options)!.AsObject();
        shown.Remove("integration_key");
        return shown;
    }

    /// <summary>A PagerDuty-style routing key: 32 lowercase hex characters.</summary>
    public static string NewIntegrationKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static async Task<(Service?, IResult?)> Build(string id, ServiceBody body, ConfigurationStore store)
    {
        var v = new Validator();
        v.Require("name", body.Name);
        v.Require("escalation_policy_id", body.EscalationPolicyId, 64);
        if (body.IntegrationKey is not null && !IntegrationKeyPattern().IsMatch(body.IntegrationKey))
            v.Add("integration_key", "'integration_key' must be 32 letters or digits, like a PagerDuty routing key; leave it out to have one generated.");
        TimeSpan? ackTimeout = null;
        if (body.AcknowledgementTimeout is not null)
        {
            if (IsoDuration.TryParse(body.AcknowledgementTimeout, out var t) && t >= TimeSpan.FromSeconds(1) && t <= IsoDuration.Longest) ackTimeout = t;
            else v.Add("acknowledgement_timeout", "'acknowledgement_timeout' must be an ISO-8601 duration from one second to seven days, such as \"PT30M\".");
        }
        var urgency = (body.Urgency ?? "severity_based") switch
        {
            "severity_based" => ServiceUrgency.SeverityBased,
            "high" => ServiceUrgency.High,
            "low" => (ServiceUrgency?)ServiceUrgency.Low,
            _ => null,
        };
        if (urgency is null) v.Add("urgency", "'urgency' must be severity_based (critical and error are high urgency), high or low.");
        if (body.SlackChannel is not null && !SlackChannelPattern().IsMatch(body.SlackChannel))
            v.Add("slack_channel", "'slack_channel' must be a Slack channel id such as C0123ABCD.");
        if (body.Locale is not null and not ("en" or "ja")) v.Add("locale", "'locale' must be en or ja.");
        Template(v, "declaration_template", body.DeclarationTemplate);
        Template(v, "recovery_template", body.RecoveryTemplate);
        Template(v, "postmortem_template", body.PostmortemTemplate, 20_000);
        var routing = RoutingValidation.Routing(v, body.Routing, body.SlackChannel);
        var rules = RoutingValidation.Rules(v, body.EventRules);
        var targets = PracticeValidation.Targets(v, body.ResponseTargets);
        var statusUpdates = PracticeValidation.StatusUpdates(v, body.StatusUpdates);
        var slo = PracticeValidation.Slo(v, body.AcknowledgementSlo);
        // The dashboards a release check asks people to look at.
        var dashboards = v.Links("dashboards", body.Dashboards);
        if (!v.IsValid) return (null, Problems.Validation(v.Errors));

        if (await store.FindPolicy(body.EscalationPolicyId!) is null)
            return (null, Problems.MissingReferences([("escalation policy", body.EscalationPolicyId!)]));
        var routedTo = (rules ?? []).Select(r => r.Actions.RouteTo).OfType<string>().Where(s => s != id).Distinct().ToList();
        if (await store.Missing(ConfigurationStore.Tables.Services, routedTo) is { Count: > 0 } missing)
            return (null, Problems.MissingReferences([.. missing.Select(m => ("service", m))]));

        var key = body.IntegrationKey
            ?? (await store.FindService(id))?.IntegrationKey
            ?? NewIntegrationKey();
        if (await store.ServiceUsingIntegrationKey(key) is { } owner && owner != id)
            return (null, Problems.Conflict($"Integration key is already used by service '{owner}'."));

        return (new Service(id, body.Name!, body.EscalationPolicyId!, key, ackTimeout, urgency!.Value, body.SlackChannel, body.Locale ?? "en",
            body.DeclarationTemplate, body.RecoveryTemplate, routing, rules, body.DefaultPriority, targets, statusUpdates,
            body.PostmortemTemplate, slo, dashboards), null);
    }

    /// <summary>Templates are Slack mrkdwn with {placeholders}; line breaks are allowed, other control characters are not.</summary>
    private static void Template(Validator v, string field, string? template, int maxLength = 3000)
    {
        if (template is null) return;
        if (template.Length == 0 || template.Length > maxLength) v.Add(field, $"'{field}' must be 1 to {maxLength} characters.");
        else if (template.Any(c => char.IsControl(c) && c != '\n')) v.Add(field, $"'{field}' must not contain control characters other than line breaks.");
    }

    [GeneratedRegex("^[CG][A-Z0-9]{2,20}$")]
    private static partial Regex SlackChannelPattern();

    [GeneratedRegex("^[A-Za-z0-9]{32}$")]
    private static partial Regex IntegrationKeyPattern();
}
