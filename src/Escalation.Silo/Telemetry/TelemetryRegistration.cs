using Escalation.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Escalation.Silo.Telemetry;

/// <summary>
/// OpenTelemetry: our meter, Orleans', Npgsql's pool, ASP.NET Core's and the runtime's, served to Prometheus at
/// <c>/metrics</c>; traces and metrics also sent by OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Traces are
/// only collected then, so that a silo nobody traces pays nothing for them; their URLs keep only the host
/// (<see cref="UrlRedaction"/>). OTLP also carries the logs then.
/// </summary>
public static class TelemetryRegistration
{
    public const string ServiceName = "escalation";

    /// <summary>The activity sources a trace of one alert crosses: the request, the grain calls, the bus, the provider call.</summary>
    public static readonly string[] TraceSources =
        ["Microsoft.AspNetCore", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "MassTransit", "System.Net.Http", EscalationTraces.SourceName];

    private static readonly string[] Meters =
        [EscalationMetrics.MeterName, "Microsoft.Orleans", "Npgsql", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime"];

    public static WebApplicationBuilder AddEscalationTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section)
            .Validate(o => o.ReadEvery > TimeSpan.Zero, $"{MetricsOptions.Section}:{nameof(MetricsOptions.ReadEvery)} must be positive.").ValidateOnStart();
        services.AddHostedService<OperationalGauges>();

        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithMetrics(m => m.AddMeter(Meters).AddPrometheusExporter());
        if (otlp) telemetry.WithTracing(t => t.AddSource(TraceSources).AddProcessor(new UrlRedaction())).UseOtlpExporter();
        return builder;
    }

    public static WebApplication MapEscalationMetrics(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Prometheus)
            app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        return app;
    }
}
