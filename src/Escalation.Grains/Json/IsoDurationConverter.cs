using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;

namespace Escalation.Json;

/// <summary>Reads and writes TimeSpan as an ISO-8601 duration such as "PT15M".</summary>
public sealed class IsoDurationConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (IsoDuration.TryParse(text, out var value)) return value;
        throw new JsonException($"'{text}' is not an ISO-8601 duration such as \"PT15M\".");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(IsoDuration.Format(value));
}

public static class IsoDuration
{
    /// <summary>The longest wait the product accepts: far beyond any escalation, well within timer limits.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(7);

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text) || text[0] != 'P') return false;
        try
        {
            value = XmlConvert.ToTimeSpan(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    public static string Format(TimeSpan value) => XmlConvert.ToString(value);
}
