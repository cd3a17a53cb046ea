using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Silo.Hosting;
using Escalation.Storage.Configuration;
using Escalation.Storage.Database;
using Escalation.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Escalation.Silo.Deadlines;
using Orleans.TestingHost;

namespace Escalation.Tests.Grains;

/// <summary>
/// An in-process Orleans cluster wired as production is (PostgreSQL storage, the deadline service, the outbox, the
/// bus, the log channel) but with the deadline service and grains on a fake clock that the test advances in steps.
/// Orleans' own background work (membership, messaging) stays on real time.
/// </summary>
public sealed class EscalationCluster : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

    private EscalationCluster(InProcessTestCluster cluster, FakeTimeProvider clock, ConfigurationStore store, NpgsqlDataSource db)
    {
        Cluster = cluster;
        Clock = clock;
        Store = store;
        Db = db;
    }

    public InProcessTestCluster Cluster { get; }
    public FakeTimeProvider Clock { get; }
    public ConfigurationStore Store { get; }
    public NpgsqlDataSource Db { get; }
    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The deadline service's work in flight on the (first) silo.</summary>
    public DeadlineActivity Deadlines => DeadlinesOf(Cluster.Silos[0]);

    public static DeadlineActivity DeadlinesOf(InProcessSiloHandle silo) => silo.ServiceProvider.GetRequiredService<DeadlineActivity>();

    /// <param name="services">Changes to the silo's services after production's, such as a scripted stand-in for the providers.</param>
    /// <param name="silos">How many silos (each with its deadline service on its part of the ring).</param>
    public static async Task<EscalationCluster> StartAsync(Action<IServiceCollection>? services = null, int silos = 1)
    {
        var connectionString = await TestPostgres.CreateDatabase();
        var clock = new FakeTimeProvider(Start);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Escalation"] = connectionString,
            ["Escalation:Incidents:RedriveAfter"] = "00:00:30",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(settings));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<EscalationDatabase>();
            silo.Services.AddEscalationServices(configuration);
            silo.AddEscalationStorage();
            silo.Services.AddSingleton<TimeProvider>(clock);
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            services?.Invoke(silo.Services);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();

        var db = NpgsqlDataSource.Create(connectionString);
        return new EscalationCluster(cluster, clock, new ConfigurationStore(db, TimeProvider.System), db);
    }

    /// <summary>
    /// Moves fake time forward one step at a time. After each step it waits for the deadline calls the step set off,
    /// then calls the (non-reentrant) grain, so that the grain has acted on one step before the next.
    /// </summary>
    public Task Advance(TimeSpan total, TimeSpan step, IIncidentGrain incident, Action<IncidentState>? check = null) =>
        Advance(total, step, async () =>
        {
            var state = await incident.Get();
            check?.Invoke(state!);
        });

    /// <summary>As above, with any call to a non-reentrant grain as the barrier after each step.</summary>
    public async Task Advance(TimeSpan total, TimeSpan step, Func<Task> barrier)
    {
        for (var passed = TimeSpan.Zero; passed < total; passed += step)
        {
            Clock.Advance(step);
            await Deadlines.WhenIdle();
            await barrier();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Db.DisposeAsync();
    }
}
