using System.Text.Json;

namespace Escalation.Api.Http;

/// <summary>Text that JSON can carry but PostgreSQL cannot store, refused up front as a 400.</summary>
public static class JsonText
{
    public const string NulMessage = "Text must not contain the NUL character (\\u0000).";
    public const string InvalidUnicodeMessage = "The body holds text that is not valid Unicode (a lone surrogate such as \\ud800).";

    public static bool HasNul(string json) => json.Contains("\\u0000", StringComparison.OrdinalIgnoreCase) || json.Contains('\0');

    /// <summary>
    /// Whether some string or property name anywhere in the value escapes a lone surrogate (\ud800). Parsing lets
    /// them through; they fail only when the text is read, which for kept JSON (custom details) is every later read.
    /// </summary>
    public static bool HasInvalidUnicode(JsonElement element)
    {
        try
        {
            Visit(element);
            return false;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static void Visit(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                element.GetString();
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Visit(item);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    Visit(property.Value);
                }
                break;
        }
    }
}
