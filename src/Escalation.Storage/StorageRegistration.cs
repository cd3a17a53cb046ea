using Escalation.Configuration;
using Escalation.Deadlines;
using Escalation.Incidents;
using Escalation.Maintenance;
using Escalation.Storage.Configuration;
using Escalation.Storage.Database;
using Escalation.Storage.Deadlines;
using Escalation.Storage.Deliveries;
using Escalation.Storage.GrainStates;
using Escalation.Storage.Incidents;
using Escalation.Storage.Maintenance;
using Escalation.Storage.Sms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Escalation.Storage;

public static class StorageRegistration
{
    /// <summary>
    /// The two connection pools on <see cref="EscalationDatabase"/> (the main one, and the delivery side's of
    /// <paramref name="deliveryConnections"/>) and the stores the engine and the delivery side use. The stores the
    /// API alone uses (keys, integrations, webhooks) are registered with it.
    /// </summary>
    public static IServiceCollection AddEscalationStores(this IServiceCollection services, IConfiguration configuration,
        Func<IServiceProvider, int> deliveryConnections)
    {
        services.AddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<EscalationDatabase>().ConnectionString));
        services.AddKeyedSingleton(DeliveryDatabase.Key, (sp, _) => NpgsqlDataSource.Create(DeliveryDatabase.ConnectionString(
            sp.GetRequiredService<EscalationDatabase>().ConnectionString, deliveryConnections(sp))));
        services.AddSingleton<DatabaseProbe>();
        services.Configure<StorageOptions>(configuration.GetSection(StorageOptions.Section));

        services.AddSingleton<ConfigurationStore>();
        services.AddSingleton<IEscalationDirectory>(sp => sp.GetRequiredService<ConfigurationStore>());
        services.AddSingleton(sp => new IncidentStore(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IDeadlineScheduler>(),
            sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton<IIncidentStore>(sp => sp.GetRequiredService<IncidentStore>());
        services.AddSingleton<IIncidentArchive, IncidentArchive>();
        services.AddSingleton<IncidentReports>();
        services.AddSingleton<Metrics.OperationalReadings>();
        services.AddSingleton<Monitors.MonitorTokenStore>();
        services.AddSingleton<Changes.ReleaseLookup>();
        services.AddSingleton<Escalation.Releases.IReleaseLookup>(sp => sp.GetRequiredService<Changes.ReleaseLookup>());
        services.AddSingleton<Escalation.Practice.IServiceIncidents>(sp => sp.GetRequiredService<IncidentReports>());
        services.AddSingleton<GrainStateStore>();
        services.AddSingleton<DeadlineRows>();
        services.AddSingleton<MaintenanceWindowStore>();
        services.AddSingleton<IMaintenanceCalendar>(sp => sp.GetRequiredService<MaintenanceWindowStore>());

        services.AddSingleton<DeliveryLedger>();
        services.AddSingleton<ISentMessages>(sp => sp.GetRequiredService<DeliveryLedger>());
        services.AddSingleton<SmsQueue>();
        return services;
    }
}
