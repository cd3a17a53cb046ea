using Microsoft.AspNetCore.Http;

namespace Escalation.Api.Http;

/// <summary>RFC 7807 problem responses with messages a person can act on.</summary>
public static class Problems
{
    public static IResult Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid.", detail: string.Join(" ", errors.SelectMany(e => e.Value)));

    public static IResult Validation(string field, string message) => Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid.");

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    public static IResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.");

    public static IResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict.");

    public static IResult TooLarge(long limit) => TypedResults.Problem(
        $"The body is larger than {limit} bytes, the limit of this API ({ApiOptions.Section}:{nameof(ApiOptions.MaxBodyBytes)}).",
        statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request is too large.",
        extensions: new Dictionary<string, object?> { ["limit"] = limit });

    public static IResult MissingReferences(IReadOnlyList<(string Kind, string Id)> missing)
    {
        var names = missing.Select(m => $"{m.Kind} '{m.Id}'").ToArray();
        return TypedResults.Problem(
            $"Unknown {string.Join(", ", names)}.",
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "The request refers to something that does not exist.",
            extensions: new Dictionary<string, object?> { ["missing"] = names });
    }
}
