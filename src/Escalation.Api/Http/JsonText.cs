namespace Escalation.Api.Http;

/// <summary>Text that JSON can carry but PostgreSQL cannot store, refused up front as a 400.</summary>
public static class JsonText
{
    public const string NulMessage = "Text must not contain the NUL character (\\u0000).";
    public const string InvalidUnicodeMessage = "The body holds text that is not valid Unicode (a lone surrogate such as \\ud800).";

    public static bool HasNul(string json) => json.Contains("\\u0000", StringComparison.OrdinalIgnoreCase) || json.Contains('\0');
}
