using System.Text.Json;
using System.Text.Json.Nodes;
using Escalation.Api.Integrations.Sources.Alertmanager;
using Escalation.Incidents;
using Escalation.Storage.Integrations;

namespace Escalation.Api.Integrations.Sources.Grafana;

/// <summary>
/// Grafana alerting's webhook contact point: Alertmanager's group shape (read by <see cref="AlertGroup"/>) plus
/// <c>orgId</c>, <c>state</c>, <c>title</c>, <c>message</c> and, per alert, <c>values</c>, <c>dashboardURL</c>,
/// <c>panelURL</c>, <c>silenceURL</c>. With a signing secret, every request must carry Grafana's HMAC signature.
/// </summary>
public sealed class GrafanaSource : IAlertSource
{
    public const string TypeName = "grafana";

    public string Type => TypeName;

    public SigningSecretUse SigningSecret => SigningSecretUse.Optional;

    public IReadOnlyList<(string Field, string Error)> ValidateSettings(JsonElement? settings) => GrafanaSettings.Validate(settings);

    public SourceResult Read(SourceRequest request)
    {
        if (request.Integration.SigningSecret is { Length: > 0 } secret &&
            GrafanaSignature.Check(secret, request.Body, request.Headers, GrafanaSettings.From(request.Integration.Settings), request.Now) is { } refused)
            return new SourceResult.Unauthorized(refused);

        var (group, errors) = AlertGroup.Read(request.Json);
        if (group is null) return new SourceResult.Invalid(errors);
        var extras = group.Alerts.Select(Extras).ToList();
        var extraErrors = extras.SelectMany(e => e.Errors).ToList();
        if (extraErrors.Count > 0) return new SourceResult.Invalid(extraErrors);
        if (group.Alerts.Count == 0) return new SourceResult.Ignored("The notification holds no alerts.");
        return new SourceResult.Alerts(group.Alerts.Select((a, i) => group.ToInbound(a, TypeName, extras[i].Links, extras[i].Details)).ToList());
    }

    private static (List<IncidentLink> Links, JsonObject Details, List<string> Errors) Extras(GroupedAlert alert)
    {
        var errors = new List<string>();
        var at = $"alerts[{alert.Index}]";
        var links = new List<IncidentLink>();
        foreach (var (field, text) in (ReadOnlySpan<(string, string)>)[("dashboardURL", "Dashboard"), ("panelURL", "Panel"), ("silenceURL", "Silence")])
            if (AlertGroup.OptionalString(alert.Element, field, $"{at}.{field}", errors) is { } href) links.Add(new IncidentLink(href, text));

        var details = new JsonObject();
        if (alert.Element.TryGetProperty("values", out var values) && values.ValueKind != JsonValueKind.Null)
        {
            if (values.ValueKind != JsonValueKind.Object) errors.Add($"'{at}.values' must be an object");
            else details["values"] = JsonNode.Parse(values.GetRawText());
        }
        return (links, details, errors);
    }
}
