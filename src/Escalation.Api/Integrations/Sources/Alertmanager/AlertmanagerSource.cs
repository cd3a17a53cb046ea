using System.Text.Json;

namespace Escalation.Api.Integrations.Sources.Alertmanager;

/// <summary>
/// Prometheus Alertmanager's webhook receiver (<c>webhook_config</c>, payload <c>version: "4"</c>). Each alert of a
/// group is an alert of its own, keyed by its fingerprint; a resolved one resolves. Alertmanager does not sign what
/// it sends: the URL's secret, or its <c>http_config</c> bearer or basic auth, is the credential.
/// </summary>
public sealed class AlertmanagerSource : IAlertSource
{
    public const string TypeName = "alertmanager";

    public string Type => TypeName;

    public SigningSecretUse SigningSecret => SigningSecretUse.None;

    public IReadOnlyList<(string Field, string Error)> ValidateSettings(JsonElement? settings) => NoSettings(settings, TypeName);

    public SourceResult Read(SourceRequest request)
    {
        var root = request.Json;
        if (root.ValueKind == JsonValueKind.Object)
        {
            var versionErrors = new List<string>();
            var version = AlertGroup.RequiredString(root, "version", "version", versionErrors);
            if (version is not null and not "4") versionErrors.Add($"'version' must be \"4\", the webhook format of Alertmanager 0.16 and later (got \"{version}\")");
            if (versionErrors.Count > 0) return new SourceResult.Invalid(versionErrors);
        }
        var (group, errors) = AlertGroup.Read(root);
        if (group is null) return new SourceResult.Invalid(errors);
        if (group.Alerts.Count == 0) return new SourceResult.Ignored("The notification holds no alerts.");
        return new SourceResult.Alerts(group.Alerts.Select(a => group.ToInbound(a, TypeName, [])).ToList());
    }

    /// <summary>For a type that takes no settings: none, or an empty object.</summary>
    public static IReadOnlyList<(string Field, string Error)> NoSettings(JsonElement? settings, string type) =>
        settings is null or { ValueKind: JsonValueKind.Null } || settings is { ValueKind: JsonValueKind.Object } s && !s.EnumerateObject().Any()
            ? []
            : [("settings", $"'settings' is not used by {type} integrations: leave it out.")];
}
