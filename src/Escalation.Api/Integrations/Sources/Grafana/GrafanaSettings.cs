using System.Text.Json;
using System.Text.RegularExpressions;

namespace Escalation.Api.Integrations.Sources.Grafana;

/// <summary>
/// A grafana integration's settings, as its contact point's HMAC options are set: <c>signature_header</c> (Grafana's
/// "Header", <c>X-Grafana-Alerting-Signature</c> when left out) and <c>timestamp_header</c> ("Timestamp header").
/// </summary>
public sealed partial record GrafanaSettings(string? SignatureHeader, string? TimestampHeader)
{
    private static readonly string[] Known = ["signature_header", "timestamp_header"];

    public static GrafanaSettings From(JsonElement? settings) => settings is { ValueKind: JsonValueKind.Object } s
        ? new(Text(s, "signature_header"), Text(s, "timestamp_header"))
        : new(null, null);

    public static IReadOnlyList<(string Field, string Error)> Validate(JsonElement? settings)
    {
        if (settings is null or { ValueKind: JsonValueKind.Null }) return [];
        if (settings.Value.ValueKind != JsonValueKind.Object) return [("settings", "'settings' must be an object.")];
        var errors = new List<(string, string)>();
        foreach (var property in settings.Value.EnumerateObject())
        {
            var field = $"settings.{property.Name}";
            if (!Known.Contains(property.Name))
                errors.Add((field, $"'{field}' is not a grafana setting: use signature_header or timestamp_header."));
            else if (property.Value.ValueKind != JsonValueKind.String || !HeaderName().IsMatch(property.Value.GetString()!))
                errors.Add((field, $"'{field}' must be an HTTP header name such as X-Grafana-Alerting-Timestamp."));
        }
        return errors;
    }

    private static string? Text(JsonElement s, string name) =>
        s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } t ? t : null;

    [GeneratedRegex("^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$")]
    private static partial Regex HeaderName();
}
