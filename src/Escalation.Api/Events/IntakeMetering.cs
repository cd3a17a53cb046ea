using Escalation.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Api.Events;

/// <summary>Marks an endpoint where alerts come in, by the source it is counted under until the request names its own.</summary>
public sealed record IntakeSource(string Name);

/// <summary>
/// Counts every alert request by source, outcome and reason, from the status it was finally answered with (after the
/// exception handler, so a database outage counts as "unavailable").
/// </summary>
public static class IntakeMetering
{
    private const string SourceItem = "escalation.intake-source";

    public static TBuilder CountedAs<TBuilder>(this TBuilder builder, string source) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new IntakeSource(source));

    /// <summary>The source a request turned out to be (an integration's type), once it is known.</summary>
    public static void NameSource(HttpContext context, string source) => context.Items[SourceItem] = source;

    public static IApplicationBuilder UseIntakeMetering(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IntakeSource>() is { } source)
        {
            var metrics = context.RequestServices.GetRequiredService<EscalationMetrics>();
            context.Response.OnCompleted(() =>
            {
                var (outcome, reason) = Outcome(context.Response.StatusCode);
                metrics.Event(context.Items[SourceItem] as string ?? source.Name, outcome, reason);
                return Task.CompletedTask;
            });
        }
        return next(context);
    });

    public static (string Outcome, string Reason) Outcome(int status) => status switch
    {
        StatusCodes.Status202Accepted => ("accepted", "accepted"),
        >= 200 and < 300 => ("ignored", "ignored"),
        StatusCodes.Status400BadRequest or StatusCodes.Status422UnprocessableEntity => ("rejected", "invalid"),
        StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => ("rejected", "unauthorized"),
        StatusCodes.Status413PayloadTooLarge => ("rejected", "too_large"),
        StatusCodes.Status415UnsupportedMediaType => ("rejected", "unsupported_media_type"),
        StatusCodes.Status429TooManyRequests => ("rejected", "throttled"),
        StatusCodes.Status501NotImplemented => ("rejected", "unsupported"),
        StatusCodes.Status503ServiceUnavailable => ("rejected", "unavailable"),
        >= 500 => ("rejected", "error"),
        _ => ("rejected", "other"),
    };
}
