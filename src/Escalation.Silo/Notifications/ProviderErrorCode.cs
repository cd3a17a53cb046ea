using System.Text.RegularExpressions;

namespace Escalation.Silo.Notifications;

/// <summary>
/// A provider failure as a metric label with few values: the HTTP status it answered, or what kept it from answering.
/// The error text itself (which may hold a number or a channel name) never becomes a label.
/// </summary>
public static partial class ProviderErrorCode
{
    public const string Refused = "refused";

    public static string Of(string error)
    {
        if (error == Refused) return Refused;
        if (HttpStatus().Match(error) is { Success: true } m) return m.Groups[1].Value;
        if (error.Contains("timeout", StringComparison.OrdinalIgnoreCase) || error.Contains("timed out", StringComparison.OrdinalIgnoreCase)) return "timeout";
        if (error.Contains("unreachable", StringComparison.OrdinalIgnoreCase)) return "unreachable";
        return "other";
    }

    [GeneratedRegex(@"\bHTTP (\d{3})\b")]
    private static partial Regex HttpStatus();
}
