using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Escalation.Api.Http;

/// <summary>A 429 problem that says, in <c>Retry-After</c>, when to try again.</summary>
public sealed class TooManyRequests(TimeSpan retryAfter, string detail) : IResult
{
    public const string Title = "Too many requests.";

    public static string Seconds(TimeSpan retryAfter) =>
        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    public Task ExecuteAsync(HttpContext context)
    {
        context.Response.Headers.RetryAfter = Seconds(retryAfter);
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: Title).ExecuteAsync(context);
    }
}
