using Microsoft.AspNetCore.Http;

namespace Escalation.Silo.Channels;

/// <summary>RFC 7807 answers for the provider webhooks.</summary>
public static class WebhookProblems
{
    public static IResult NotConfigured(string provider, string setting) => TypedResults.Problem(
        $"{provider} is not configured on this service ({setting} is not set).", statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    public static IResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "The request is not signed by the provider.");

    public static IResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid.");

    public static IResult TooLarge(int limit) =>
        TypedResults.Problem($"The body is larger than {limit} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large.");
}
