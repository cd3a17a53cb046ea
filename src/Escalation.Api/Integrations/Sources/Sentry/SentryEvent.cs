using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Escalation.Incidents;

namespace Escalation.Api.Integrations.Sources.Sentry;

/// <summary>What both of Sentry's alert payloads say about the event that fired: its title, level, tags and links.</summary>
internal static partial class SentryEvent
{
    /// <summary>Sentry's levels; anything else says no severity, and the rules or "when in doubt, P1" decide.</summary>
    public static Severity? Level(string? level) => level?.ToLowerInvariant() switch
    {
        "fatal" => Severity.Critical,
        "error" => Severity.Error,
        "warning" => Severity.Warning,
        "info" or "debug" => Severity.Info,
        _ => null,
    };

    /// <summary>The first of the candidates that says something (title, message, culprit), else the issue's id.</summary>
    public static string Summary(string issueId, params string?[] candidates) =>
        SourceFields.Summary(candidates.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c)) ?? $"Sentry issue {issueId}");

    /// <summary>
    /// The event's tags: Sentry sends them as a list of [key, value] pairs; the API's {key, value} objects and a plain
    /// object are read too. A repeated key keeps its first value.
    /// </summary>
    public static Dictionary<string, string> Tags(JsonElement? evt)
    {
        var tags = new Dictionary<string, string>();
        if (evt is not { } e || !e.TryGetProperty("tags", out var list)) return tags;
        if (list.ValueKind == JsonValueKind.Object)
        {
            foreach (var (key, value) in SourceFields.Scalars(list)) tags.TryAdd(key, value);
            return tags;
        }
        if (list.ValueKind != JsonValueKind.Array) return tags;
        foreach (var tag in list.EnumerateArray())
        {
            string? key = null, value = null;
            if (tag.ValueKind == JsonValueKind.Array && tag.GetArrayLength() == 2)
            {
                key = SourceFields.ScalarText(tag[0]);
                value = SourceFields.ScalarText(tag[1]);
            }
            else if (tag.ValueKind == JsonValueKind.Object)
            {
                key = SourceFields.Text(tag, "key");
                value = SourceFields.Text(tag, "value");
            }
            if (!string.IsNullOrEmpty(key) && value is not null) tags.TryAdd(key, value);
        }
        return tags;
    }

    /// <summary>
    /// The issue's page and the event's: an issue alert carries only the event's web URL
    /// (<c>.../issues/{id}/events/{event_id}/</c>), whose front part is the issue's page.
    /// </summary>
    public static List<IncidentLink> Links(string? issueUrl, string? eventUrl)
    {
        if (issueUrl is null && eventUrl is not null && EventUnderIssue().Match(eventUrl) is { Success: true } m)
            issueUrl = m.Groups["issue"].Value;
        var links = new List<IncidentLink>();
        if (issueUrl is not null) links.Add(new IncidentLink(issueUrl, "Sentry issue"));
        if (eventUrl is not null && eventUrl != issueUrl) links.Add(new IncidentLink(eventUrl, "Sentry event"));
        return links;
    }

    /// <summary>The project's slug in the event's API URL (<c>/api/0/projects/{org}/{project}/events/{id}/</c>).</summary>
    public static string? ProjectSlug(JsonElement evt) =>
        SourceFields.Text(evt, "url") is { } url && ProjectInApiUrl().Match(url) is { Success: true } m ? m.Groups["project"].Value : null;

    /// <summary>A few facts for the incident's details; the whole event (stack frames and all) would be too much.</summary>
    public static string Details(JsonElement? evt, params (string Name, string? Value)[] extra)
    {
        var details = new JsonObject();
        foreach (var (name, value) in extra)
            if (value is not null) details[name] = value;
        if (evt is { } e)
            foreach (var name in (string[])["event_id", "culprit", "platform", "environment", "release", "logger"])
                if (SourceFields.Text(e, name) is { } value) details.TryAdd(name, value);
        return details.ToJsonString();
    }

    [GeneratedRegex(@"^(?<issue>https?://.+/issues/[^/]+/)events/[^/]+/?(\?.*)?$")]
    private static partial Regex EventUnderIssue();

    [GeneratedRegex(@"/api/0/projects/[^/]+/(?<project>[^/]+)/events/")]
    private static partial Regex ProjectInApiUrl();
}
