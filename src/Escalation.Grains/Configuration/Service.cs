using Escalation.Notifications;
using Escalation.Practice;
using Escalation.Routing;

namespace Escalation.Configuration;

/// <summary>
/// A service: where alerts come in. <paramref name="SlackChannel"/> is where its incidents are posted;
/// <paramref name="Locale"/> (en|ja) and the templates shape the declaration and recovery posts. <paramref name="Routing"/>
/// says what each priority does, <paramref name="EventRules"/> classify incoming alerts, and
/// <paramref name="DefaultPriority"/> is the priority of an alert nothing classifies (P1 when unset).
/// <paramref name="ResponseTargets"/> and <paramref name="StatusUpdates"/> carry the ops standard (defaults when unset);
/// <paramref name="PostmortemTemplate"/> replaces the shipped postmortem draft's Markdown; <paramref name="AcknowledgementSlo"/>
/// raises an incident on the service when its budget burns too fast. <paramref name="Dashboards"/> are named in release checks.
/// </summary>
[GenerateSerializer, Alias("escalation.service")]
public sealed record Service(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string EscalationPolicyId,
    [property: Id(3)] string IntegrationKey,
    [property: Id(4)] TimeSpan? AcknowledgementTimeout,
    [property: Id(5)] ServiceUrgency Urgency = ServiceUrgency.SeverityBased,
    [property: Id(6)] string? SlackChannel = null,
    [property: Id(7)] string Locale = "en",
    [property: Id(8)] string? DeclarationTemplate = null,
    [property: Id(9)] string? RecoveryTemplate = null,
    [property: Id(10)] ServiceRouting? Routing = null,
    [property: Id(11)] IReadOnlyList<EventRule>? EventRules = null,
    [property: Id(12)] Priority? DefaultPriority = null,
    [property: Id(13)] ResponseTargets? ResponseTargets = null,
    [property: Id(14)] StatusUpdatePolicy? StatusUpdates = null,
    [property: Id(15)] string? PostmortemTemplate = null,
    [property: Id(16)] AcknowledgementSlo? AcknowledgementSlo = null,
    [property: Id(17)] IReadOnlyList<Incidents.IncidentLink>? Dashboards = null);
