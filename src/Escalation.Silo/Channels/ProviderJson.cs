using System.Text.Json;
using System.Text.Json.Nodes;

namespace Escalation.Silo.Channels;

/// <summary>Reading a provider's JSON answer, which may be anything (an HTML error page from a proxy, say).</summary>
public static class ProviderJson
{
    /// <summary>The body as a JSON object; null when it is not one.</summary>
    public static JsonObject? Object(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
