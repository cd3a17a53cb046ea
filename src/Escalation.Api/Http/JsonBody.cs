using System.Text.Json;
using Escalation.Json;
using Microsoft.AspNetCore.Http;

namespace Escalation.Api.Http;

/// <summary>Reads a JSON body and turns every way it can be wrong into a clear 400.</summary>
public static class JsonBody
{
    public static async Task<(T? Value, IResult? Problem)> Read<T>(HttpRequest request) where T : class
    {
        if (request.ContentLength == 0) return (null, Problems.BadRequest("A JSON body is required."));
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (JsonText.HasNul(text)) return (null, Problems.BadRequest(JsonText.NulMessage));
        try
        {
            var value = JsonSerializer.Deserialize<T>(text, EscalationJson.Options);
            if (value is null) return (null, Problems.BadRequest("A JSON object is required."));
            return JsonText.HasInvalidUnicode(JsonSerializer.Deserialize<JsonElement>(text, EscalationJson.Options))
                ? (null, Problems.BadRequest(JsonText.InvalidUnicodeMessage))
                : (value, null);
        }
        catch (InvalidOperationException)
        {
            return (null, Problems.BadRequest(JsonText.InvalidUnicodeMessage));
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 1 } path ? $" at '{path.TrimStart('$', '.')}'" : "";
            var why = e.InnerException?.Message ?? FirstSentence(e.Message);
            return (null, Problems.BadRequest($"The body is not valid JSON for this request{where}: {why}"));
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
