namespace Escalation.Tests.Channels.Sms;

/// <summary>Reads an application/x-www-form-urlencoded body the way Twilio's servers would.</summary>
internal static class FormBody
{
    public static List<KeyValuePair<string, string>> Parse(string? body) =>
        (body ?? "")
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => KeyValuePair.Create(Decode(parts[0]), parts.Length > 1 ? Decode(parts[1]) : ""))
            .ToList();

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
