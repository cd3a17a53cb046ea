using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Escalation.Api.Health;

/// <summary>
/// <c>/health/ready</c>: 503 only when a check tagged <see cref="EscalationApi.ReadyTag"/> is unhealthy (this silo is not
/// an active member); the checks tagged <see cref="EscalationApi.ReportedTag"/> (the database, shared by every silo)
/// are told in the body without taking the silo out of the load balancer: out of it, a caller would get a refused
/// connection instead of a 503 telling it to come back.
/// </summary>
public static class ReadinessReport
{
    public static Task Write(HttpContext context, HealthReport report)
    {
        var ready = report.Entries.Values.Where(e => e.Tags.Contains(EscalationApi.ReadyTag)).All(e => e.Status != HealthStatus.Unhealthy);
        context.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        var status = !ready ? HealthStatus.Unhealthy : report.Status == HealthStatus.Healthy ? HealthStatus.Healthy : HealthStatus.Degraded;
        return context.Response.WriteAsJsonAsync(new
        {
            status = status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
    }
}
