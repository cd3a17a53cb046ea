using Escalation.Api.Alerts;
using Escalation.Api.Auth;
using Escalation.Api.Calendars;
using Escalation.Api.Changes;
using Escalation.Api.Configuration;
using Escalation.Api.Events;
using Escalation.Api.Health;
using Escalation.Api.Http;
using Escalation.Api.Incidents;
using Escalation.Api.Integrations;
using Escalation.Api.Integrations.Sources.Alertmanager;
using Escalation.Api.Integrations.Sources.Grafana;
using Escalation.Api.Integrations.Sources.CloudMonitoring;
using Escalation.Api.Integrations.Sources.Sentry;
using Escalation.Api.Integrations.Sources.Webhook;
using Escalation.Api.Maintenance;
using Escalation.Api.Monitors;
using Escalation.Api.Reports;
using Escalation.Api.Slo;
using Escalation.Api.Rotations;
using Escalation.Json;
using Escalation.Storage.Auth;
using Escalation.Storage.Calendars;
using Escalation.Storage.Changes;
using Escalation.Storage.Database;
using Escalation.Storage.Incidents;
using Escalation.Storage.Integrations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Escalation.Api;

/// <summary>The HTTP surface, as a library the silo maps.</summary>
public static class EscalationApi
{
    /// <summary>A health check that takes this silo out of the load balancer when unhealthy.</summary>
    public const string ReadyTag = "ready";

    /// <summary>A health check told on <c>/health/ready</c> that never takes the silo out (see <see cref="ReadinessReport"/>).</summary>
    public const string ReportedTag = "reported";

    public static IServiceCollection AddEscalationApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o => EscalationJson.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddSingleton<ConnectionPools>();
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section)
            .Validate(o => o.MaxBodyBytes > 0, $"{ApiOptions.Section}:{nameof(ApiOptions.MaxBodyBytes)} must be a positive number of bytes.")
            .ValidateOnStart();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(Policies.Add);
        services.AddOpenApi("v1");
        services.AddSingleton<ApiKeyStore>();
        services.AddOptions<FailedAuthenticationOptions>().BindConfiguration(FailedAuthenticationOptions.Section);
        services.AddSingleton<FailedAuthentications>();
        services.AddSingleton<AlertIntake>();
        services.AddSingleton<IncidentList>();
        services.AddSingleton<NotificationLog>();
        services.AddSingleton<IncidentHistory>();
        services.AddSingleton<CalendarFeedStore>();
        services.AddSingleton<IntegrationStore>();
        services.AddSingleton<AlertSources>();
        services.AddSingleton<IAlertSource, AlertmanagerSource>();
        services.AddSingleton<IAlertSource, GrafanaSource>();
        services.AddSingleton<IAlertSource, SentrySource>();
        services.AddSingleton<IAlertSource, CloudMonitoringSource>();
        services.AddSingleton<IAlertSource, WebhookSource>();
        services.AddSingleton<ChangeEventStore>();
        services.AddOptions<ReportOptions>().BindConfiguration(ReportOptions.Section)
            .Validate(o => o.WorkdayStart < o.WorkdayEnd, $"{ReportOptions.Section}: WorkdayStart must be before WorkdayEnd.")
            .Validate(o => o.MaxIncidents > 0, $"{ReportOptions.Section}:{nameof(ReportOptions.MaxIncidents)} must be positive.")
            .ValidateOnStart();
        return services;
    }

    public static WebApplication UseEscalationApi(this WebApplication app)
    {
        // Unhandled errors become a bare problem+json 500, a database outage a 503 (DatabaseUnavailableHandler);
        // malformed requests keep their 4xx. Never a stack trace.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseIntakeMetering();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(ReadyTag) || c.Tags.Contains(ReportedTag),
            ResponseWriter = ReadinessReport.Write,
        });
        app.MapEventsV2();
        app.MapHeartbeats();
        app.MapIntegrationIngest();
        app.MapChangeEvents();

        var bodyLimit = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.MaxBodyBytes;
        var api = app.MapGroup("/api/v1").WithMetadata(new RequestSizeLimitAttribute(bodyLimit));
        api.MapUsers();
        api.MapTeams();
        api.MapEscalationPolicies();
        api.MapServices();
        api.MapEventRules();
        api.MapChanges();
        api.MapRotations();
        api.MapCalendars();
        api.MapApiKeys();
        api.MapIncidents();
        api.MapReports();
        api.MapSlo();
        api.MapMonitors();
        api.MapReleases();
        api.MapIntegrations();
        api.MapMaintenanceWindows();
        return app;
    }
}
