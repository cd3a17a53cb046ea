using System.Text.Json;

namespace Escalation.Silo.Channels.SendGrid;

/// <summary>Reads SendGrid's error body, <c>{"errors":[{"message":"…","field":"…"}]}</c>, without trusting it to be well formed.</summary>
internal static class SendGridErrors
{
    private const int MaxLength = 300;

    public static string FirstMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
            return "no details";
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Array
                && errors.GetArrayLength() > 0
                && errors[0].ValueKind == JsonValueKind.Object
                && errors[0].TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String)
            {
                return Shorten(message.GetString()!);
            }
        }
        catch (JsonException)
        {
            // Not SendGrid's JSON (a proxy's HTML page, say): the raw text still says more than nothing.
        }
        return Shorten(body.Trim());
    }

    private static string Shorten(string text) => text.Length <= MaxLength ? text : text[..MaxLength] + "…";
}
