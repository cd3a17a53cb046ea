using System.Text.Json;
using Escalation.Incidents;

namespace Escalation.Api.Events;

/// <summary>Fields that PagerDuty's alert and change events share, each error named as PagerDuty names it.</summary>
public static class EventFields
{
    /// <summary>The 32-character integration key of a service.</summary>
    public static string? RoutingKey(JsonElement root, List<string> errors)
    {
        var routingKey = String(root, "routing_key");
        if (string.IsNullOrWhiteSpace(routingKey)) errors.Add("'routing_key' is missing or blank");
        else if (routingKey.Length != 32) errors.Add("'routing_key' must be 32 characters");
        return routingKey;
    }

    /// <summary><c>links</c>: each an object with an <c>href</c>; and <c>images</c>, which must be an array if sent (they are not kept).</summary>
    public static List<IncidentLink> Links(JsonElement root, List<string> errors)
    {
        var links = new List<IncidentLink>();
        if (root.TryGetProperty("links", out var linkArray))
        {
            if (linkArray.ValueKind != JsonValueKind.Array) errors.Add("'links' must be an array");
            else
            {
                var i = 0;
                foreach (var link in linkArray.EnumerateArray())
                {
                    if (link.ValueKind != JsonValueKind.Object || String(link, "href") is not { Length: > 0 } href)
                        errors.Add($"'links[{i}].href' is missing or blank");
                    else links.Add(new IncidentLink(href, String(link, "text")));
                    i++;
                }
            }
        }
        if (root.TryGetProperty("images", out var images) && images.ValueKind != JsonValueKind.Array)
            errors.Add("'images' must be an array");
        return links;
    }

    /// <summary><c>payload.custom_details</c> as its JSON text, or null.</summary>
    public static string? CustomDetails(JsonElement payload) =>
        payload.TryGetProperty("custom_details", out var custom) && custom.ValueKind != JsonValueKind.Null ? custom.GetRawText() : null;

    public static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static void NotAString(JsonElement obj, string name, List<string> errors, string prefix = "")
    {
        if (obj.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            errors.Add($"'{prefix}{name}' must be a string");
    }
}
