using System.Text.Json;
using System.Text.Json.Serialization;
using Escalation.Routing;

namespace Escalation.Json;

/// <summary>Priorities read and write as people write them: "P1" to "P4" (any case on the way in).</summary>
public sealed class PriorityConverter : JsonConverter<Priority>
{
    public override Priority Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (PriorityNames.Parse(text) is { } priority) return priority;
        throw new JsonException("A priority must be one of P1, P2, P3 or P4.");
    }

    public override void Write(Utf8JsonWriter writer, Priority value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

public static class PriorityNames
{
    public static Priority? Parse(string? text) => text?.ToUpperInvariant() switch
    {
        "P1" => Priority.P1,
        "P2" => Priority.P2,
        "P3" => Priority.P3,
        "P4" => Priority.P4,
        _ => null,
    };
}
