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
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, EscalationJson.Options, request.HttpContext.RequestAborted);
            return value is null ? (null, Problems.BadRequest("A JSON object is required.")) : (value, null);
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
