using System.Text.Json;

namespace Escalation.Storage.Integrations;

/// <summary>
/// One way alerts reach a service from a tool: its type (alertmanager, grafana, sentry, cloud-monitoring, webhook),
/// the tool's own signing secret where the tool signs what it sends (Sentry's client secret, Grafana's), and for
/// <c>webhook</c> the mapping from the tool's JSON to an alert. The URL's secret is kept only as its hash.
/// </summary>
public sealed record Integration(
    string Id,
    string ServiceId,
    string Type,
    string Name,
    string? SigningSecret,
    JsonElement? Settings,
    DateTimeOffset CreatedAt);
