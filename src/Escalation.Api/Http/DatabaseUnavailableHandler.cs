using Escalation.Storage;
using Escalation.Storage.Database;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Escalation.Api.Http;

/// <summary>
/// While PostgreSQL cannot be reached, every route (the API, <c>/v2/enqueue</c>, the webhooks) answers 503 with
/// Retry-After, so that monitors and providers send again rather than give up; the service comes back by itself
/// with the database.
/// </summary>
public sealed class DatabaseUnavailableHandler(IProblemDetailsService problems, ConnectionPools pools, ILogger<DatabaseUnavailableHandler> logger)
    : IExceptionHandler
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseOutage.Explains(exception)) return false;
        logger.LogWarning("Answered 503: the database is unavailable ({Error})", exception.GetBaseException().Message);
        pools.DropAfterOutage();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString();
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The service is unavailable for a moment.",
                Detail = $"The database cannot be reached; try again in {(int)RetryAfter.TotalSeconds} seconds.",
            },
        });
    }
}
