using System.Globalization;
using System.Text.Json;
using Escalation.Api.Events;
using Escalation.Incidents;
using static Escalation.Api.Events.EventFields;

namespace Escalation.Api.Changes;

/// <summary>
/// A PagerDuty Change Event (a deploy, a config change): informational, it pages nobody. Read by hand so that
/// every error is named as PagerDuty names it.
/// </summary>
/// <param name="Timestamp">When the sending tool says the change happened, if it says.</param>
/// <param name="CustomDetailsJson">The JSON text of <c>payload.custom_details</c>.</param>
public sealed record ChangeEvent(
    string RoutingKey, string Summary, string? Source, DateTimeOffset? Timestamp, string? CustomDetailsJson, IReadOnlyList<IncidentLink> Links)
{
    private const int MaxSummary = 1024;
    private const int MaxSource = 1024;
    private static readonly DateTimeOffset Earliest = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static (ChangeEvent? Event, List<string> Errors) Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return (null, ["Event must be a JSON object"]);
        var errors = new List<string>();
        var routingKey = EventFields.RoutingKey(root, errors);

        if (!root.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            errors.Add("'payload' is missing or not an object");
            return (null, errors);
        }
        var summary = String(payload, "summary");
        if (string.IsNullOrWhiteSpace(summary)) errors.Add("'payload.summary' is missing or blank");
        else if (summary.Length > MaxSummary) errors.Add($"'payload.summary' must be at most {MaxSummary} characters");
        var source = String(payload, "source");
        if (source is { Length: > MaxSource }) errors.Add($"'payload.source' must be at most {MaxSource} characters");
        var timestamp = ParseTimestamp(String(payload, "timestamp"), errors);
        foreach (var name in (string[])["summary", "source", "timestamp"])
            NotAString(payload, name, errors, "payload.");
        var links = EventFields.Links(root, errors);

        return errors.Count > 0
            ? (null, errors)
            : (new ChangeEvent(routingKey!, summary!, source, timestamp, CustomDetails(payload), links), errors);
    }

    /// <summary>ISO 8601, with PagerDuty's own example's offset style (<c>+0000</c>) too; a time without an offset is UTC.</summary>
    private static DateTimeOffset? ParseTimestamp(string? text, List<string> errors)
    {
        if (text is null) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at >= Earliest && at < Latest)
            return at.ToUniversalTime();
        errors.Add("'payload.timestamp' must be an ISO-8601 date-time between the years 1970 and 2199");
        return null;
    }
}
