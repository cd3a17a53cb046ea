using System.Net;
using Escalation.Maintenance;
using Escalation.Api;
using Escalation.Configuration;
using Escalation.Escalations;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Silo.Channels;
using Escalation.Silo.Health;
using Escalation.Silo.Monitors;
using Escalation.Silo.Notifications;
using Escalation.Silo.Telemetry;
using Escalation.Telemetry;
using Escalation.Storage.Configuration;
using Escalation.Storage.Database;
using Escalation.Storage.Incidents;
using Escalation.Storage.Maintenance;
using Escalation.Deadlines;
using Escalation.Silo.Deadlines;
using Escalation.Storage;
using Escalation.Storage.Deadlines;
using Escalation.Storage.GrainStates;
using Orleans.Storage;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;

namespace Escalation.Silo.Hosting;

/// <summary>How the one deployable is put together: database first, then the silo, the bus and the channels.</summary>
public static class SiloHosting
{
    public const string Invariant = "Npgsql";
    public const string GrainStore = "incidents";

    public static WebApplicationBuilder AddEscalationSilo(this WebApplicationBuilder builder)
    {
        builder.UseDefaultListenAddress();
        var services = builder.Services;
        // First hosted service: it readies PostgreSQL before Orleans, the bus and Kestrel start (and stops last).
        services.AddSingleton<EscalationDatabase>();
        services.AddHostedService(sp => sp.GetRequiredService<EscalationDatabase>());
        builder.AddEscalationTelemetry();

        services.AddOptions<SiloOptions>().Bind(builder.Configuration.GetSection(SiloOptions.Section))
            .Validate(o => o.ShutdownGrace > TimeSpan.Zero && o.DrainDelay >= TimeSpan.Zero && o.DrainDelay < o.ShutdownGrace,
                $"{SiloOptions.Section}: ShutdownGrace must be positive, and DrainDelay between 0 and ShutdownGrace.")
            .ValidateOnStart();
        services.AddOptions<HostOptions>().Configure<IOptions<SiloOptions>>((host, silo) => host.ShutdownTimeout = silo.Value.ShutdownGrace);
        services.AddSingleton<Drain>();
        services.AddHostedService(sp => sp.GetRequiredService<Drain>());
        builder.UseOrleans(orleans =>
        {
            // Read when the silo starts, so that test hosts can override any of it.
            orleans.Services.AddOptions<ClusterOptions>().Configure<IOptions<SiloOptions>>((o, silo) =>
                (o.ClusterId, o.ServiceId) = (silo.Value.ClusterId, "escalation"));
            orleans.Services.AddOptions<EndpointOptions>().Configure<IOptions<SiloOptions>>((o, silo) =>
            {
                o.AdvertisedIPAddress = IPAddress.Parse(silo.Value.AdvertisedAddress);
                o.SiloPort = silo.Value.Port == 0 ? FreePort.Next() : silo.Value.Port;
                o.GatewayPort = 0; // the API is co-hosted: no outside Orleans clients
            });
            orleans.Services.AddOptions<ClusterMembershipOptions>().Configure<IOptions<SiloOptions>>((o, silo) =>
            {
                var probe = TimeSpan.FromSeconds(silo.Value.ProbeTimeoutSeconds);
                (o.ProbeTimeout, o.MinProbeTimeout, o.MaxProbeTimeout) = (probe, probe / 2, probe * 2);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(Math.Max(2, silo.Value.ProbeTimeoutSeconds * 2));
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(Math.Max(2, silo.Value.ProbeTimeoutSeconds * 2));
            });
            // A database error crosses silos as itself, so that a grain call failed by an outage is answered 503 anywhere.
            orleans.Services.Configure<ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));
            orleans.UseAdoNetClustering(options => options.Configure<EscalationDatabase>((o, db) =>
                (o.Invariant, o.ConnectionString) = (Invariant, db.ConnectionString)));
            orleans.AddEscalationStorage();
            orleans.AddActivityPropagation();
            // In a pod: the silo is named after it, and the pods of silos declared dead are deleted. It needs the
            // API server, so it is off anywhere else (a laptop, CI).
            if (!string.IsNullOrEmpty(builder.Configuration["KUBERNETES_SERVICE_HOST"]))
                orleans.UseKubernetesHosting(k => k.Configure(o => o.DeleteDefunctSiloPods = true));
        });

        services.AddEscalationServices(builder.Configuration);
        services.AddEscalationApi();
        services.AddHostedService<StartupReport>();
        services.AddHealthChecks()
            .AddCheck<SiloActiveCheck>("silo", tags: [EscalationApi.ReadyTag])
            .AddCheck<Drain>("drain", tags: [EscalationApi.ReadyTag])
            .AddCheck<DatabaseCheck>("database", tags: [EscalationApi.ReportedTag])
            .AddCheck<ProviderCredentialsCheck>("providers", tags: [EscalationApi.ReportedTag]);
        return builder;
    }

    /// <summary>
    /// Grain state on our own tables and the deadline service on the consistent ring; shared with the in-process
    /// test cluster. Waiting incidents are collected soon: their deadline is a row, not an activation.
    /// </summary>
    public static ISiloBuilder AddEscalationStorage(this ISiloBuilder orleans)
    {
        orleans.Services.AddKeyedSingleton<IGrainStorage>(GrainStateStore.Name, (sp, _) => sp.GetRequiredService<GrainStateStore>());
        orleans.Services.AddGrainService<DeadlineService>();
        orleans.Services.Configure<GrainCollectionOptions>(o =>
        {
            o.ClassSpecificCollectionAge[typeof(IncidentGrain).FullName!] = TimeSpan.FromMinutes(2);
            o.ClassSpecificCollectionAge[typeof(Escalation.Alerts.AlertKeyGrain).FullName!] = TimeSpan.FromMinutes(2);
        });
        return orleans;
    }

    /// <summary>Everything besides Orleans itself: stores, the outbox dispatcher, the bus and the channels.</summary>
    public static IServiceCollection AddEscalationServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<EscalationMetrics>();
        services.AddEscalationStores(configuration, sp => sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.MaxDatabaseConnections);
        services.AddSingleton<TargetResolver>();
        services.Configure<DeadlineOptions>(configuration.GetSection(DeadlineOptions.Section));
        services.AddSingleton<DeadlineServiceClient>();
        services.AddSingleton<DeadlineScheduler>();
        services.AddSingleton<IDeadlineScheduler>(sp => sp.GetRequiredService<DeadlineScheduler>());
        services.AddSingleton<DeadlineActivity>();
        services.AddSingleton<IDeliveryReceiver, DeliveryReceiver>();
        services.AddSingleton<Claimants>();
        services.AddSingleton<DeliveryPipeline>();
        services.AddSingleton<ProviderHealth>();
        services.Configure<IncidentOptions>(configuration.GetSection(IncidentOptions.Section));
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.Section))
            .Validate(o => o.MaxDatabaseConnections > 0, $"{DeliveryOptions.Section}:MaxDatabaseConnections must be at least 1.").ValidateOnStart();
        services.Configure<BusOptions>(configuration.GetSection(BusOptions.Section));
        services.AddEscalationChannels(configuration);
        services.AddEscalationMonitors(configuration);

        services.AddSingleton<BusNotificationDispatcher>();
        services.AddSingleton<INotificationDispatcher>(sp => sp.GetRequiredService<BusNotificationDispatcher>());
        services.AddHostedService(sp => sp.GetRequiredService<BusNotificationDispatcher>());
        var transport = configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        services.AddMassTransit(bus =>
        {
            bus.AddEscalationChannelConsumers();
            if (transport.UsesRabbitMq)
            {
                bus.UsingRabbitMq((context, cfg) =>
                {
                    var rabbit = transport.RabbitMq;
                    cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, h =>
                    {
                        h.Username(rabbit.Username);
                        h.Password(rabbit.Password);
                    });
                    ConfigureBus(context, cfg);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) => ConfigureBus(context, cfg));
            }
        });
        return services;
    }

    /// <summary>
    /// Retries here are for our own hiccups (the database, a grain call). Provider failures are retried by the
    /// delivery pipeline, which records each attempt; a notification that failed for good goes to the error queue.
    /// </summary>
    private static void ConfigureBus<T>(IBusRegistrationContext context, IBusFactoryConfigurator<T> cfg) where T : IReceiveEndpointConfigurator
    {
        cfg.UseMessageRetry(r =>
        {
            r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2));
            r.Ignore<DeliveryFailedException>();
        });
        cfg.ConfigureEndpoints(context);
    }
}
