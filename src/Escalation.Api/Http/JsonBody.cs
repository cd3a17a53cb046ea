using System.Text.Json;
using Escalation.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Escalation.Api.Http;

/// <summary>Reads a JSON body and turns every way it can be wrong into a clear 400 (or 413 past the API's limit).</summary>
public static class JsonBody
{
    public static async Task<(T? Value, IResult? Problem)> Read<T>(HttpRequest request) where T : class
    {
        if (request.ContentLength == 0) return (null, Problems.BadRequest("A JSON body is required."));
        var limit = request.HttpContext.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxBodyBytes;
        if (request.ContentLength > limit) return (null, Problems.TooLarge(limit));
        string? text;
        // Kestrel stops at the limit too (the /api/v1 group's metadata), with a BadHttpRequestException.
        try
        {
            text = await ReadAtMost(request.Body, limit, request.HttpContext.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            text = null;
        }
        if (text is null) return (null, Problems.TooLarge(limit));
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

    /// <summary>The body as text; null when it is longer than <paramref name="limit"/> bytes.</summary>
    private static async Task<string?> ReadAtMost(Stream body, long limit, CancellationToken ct)
    {
        var bytes = await RequestBody.ReadAtMost(body, limit, ct);
        if (bytes is null) return null;
        using var reader = new StreamReader(new MemoryStream(bytes));
        return await reader.ReadToEndAsync(ct);
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
