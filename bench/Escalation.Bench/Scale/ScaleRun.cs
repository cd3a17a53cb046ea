using System.Text.Json;
using System.Text.Json.Serialization;

namespace Escalation.Bench.Scale;

/// <summary>What every scale mode starts with: the silo running on its own data, set up, its database open.</summary>
public sealed class ScaleRun : IAsyncDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private ScaleRun(ScaleOptions options, ServiceSetup setup, ServiceProcess service, bool reused)
    {
        Options = options;
        Setup = setup;
        Service = service;
        Reused = reused;
    }

    public ScaleOptions Options { get; }
    public ServiceSetup Setup { get; }
    public ServiceProcess Service { get; }
    /// <summary>The data directory was kept by an earlier run and reused with its set-up and incidents.</summary>
    public bool Reused { get; }
    public TimeSpan FirstReady { get; private set; }
    public ScaleDatabase Db { get; private set; } = null!;
    public TriggerLoad Load { get; private set; } = null!;
    public string PostgresVersion { get; private set; } = "";
    private HttpClient _http = null!;

    public static void Say(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

    public static async Task<ScaleRun> Start(ScaleOptions options, TimeSpan level1After)
    {
        var existing = ServiceSetup.Load(options.DataDirectory);
        // A directory an earlier run kept is never removed by this one.
        if (existing is not null) options = options with { Keep = true };
        var setup = existing ?? ServiceSetup.New(level1After);
        var run = new ScaleRun(options, setup, new ServiceProcess(options, setup.AdminKey), existing is not null);
        Say($"Starting {options.SiloDll} on {run.Service.Url} with data in {options.DataDirectory}" +
            (existing is not null ? " (kept by an earlier run: reused)" : "") + $"; its log: {run.Service.LogFile}");
        run.FirstReady = await run.Service.StartAndWaitReady(TimeSpan.FromMinutes(5));
        Say($"Ready after {run.FirstReady.TotalSeconds:0.0} s (pid {run.Service.Pid})");
        if (existing is null) await setup.Apply(run.Service.Url, options.DataDirectory);
        run.Db = new ScaleDatabase(options.DataDirectory);
        run.PostgresVersion = await run.Db.ServerVersion();
        run._http = TriggerLoad.CreateClient(run.BenchOptions);
        run.Load = new TriggerLoad(run._http, run.BenchOptions);
        return run;
    }

    /// <summary>The options the trigger load of the ingest mode takes.</summary>
    public BenchOptions BenchOptions => new(Service.Url, Setup.RoutingKey, "", Options.Concurrency, TimeSpan.Zero, TimeSpan.Zero, null);

    /// <summary>A closed-loop trigger load on another service of this run, by its routing key.</summary>
    public TriggerLoad LoadFor(string routingKey) => new(_http, BenchOptions with { RoutingKey = routingKey });

    /// <summary>Creates <paramref name="count"/> incidents with distinct dedup keys, as fast as the senders go.</summary>
    public async Task<TriggerRun> CreateIncidents(string prefix, int count)
    {
        var keys = Enumerable.Range(0, count).Select(i => $"{prefix}-{i}").ToArray();
        Say($"Creating {count} incidents with {Options.Concurrency} senders");
        var run = await Load.SendKeys(keys);
        Say($"{run.Accepted.Count} accepted at {run.Rate:0.0}/s, {run.Errors} errors{Errors(run)}");
        return run;
    }

    /// <summary>Waits until <paramref name="expected"/> incidents of the bench's service have their level-1 page sent.</summary>
    public async Task<long> WaitForFirstPages(long expected, TimeSpan stall)
    {
        Say($"Waiting for {expected} level-1 pages");
        var paged = await ScaleDatabase.WaitFor(() => Db.PagedAt(Setup.ServiceId, 1), expected, stall, TimeSpan.FromMinutes(30),
            n => Say($"  {n}/{expected} paged"));
        Say($"{paged}/{expected} incidents paged at level 1");
        return paged;
    }

    public static string Errors(TriggerRun run) =>
        run.Errors == 0 ? "" : $" ({string.Join(", ", run.ErrorKinds.Select(e => $"{e.Key} x{e.Value}"))})";

    public object Machine => new
    {
        processors = Environment.ProcessorCount,
        os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        dotnet = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        postgres = PostgresVersion,
    };

    /// <summary>The table for people on stdout, then the JSON summary (also to --json).</summary>
    public async Task Print(string table, object summary)
    {
        Console.WriteLine(table);
        var json = JsonSerializer.Serialize(summary, JsonOptions);
        Console.WriteLine(json);
        if (Options.JsonPath is { } path) await File.WriteAllTextAsync(path, json + Environment.NewLine);
    }

    public static double R(double value) => Math.Round(value, 3);

    public static object Ms(Percentiles p) => new { count = p.Count, p50 = R(p.P50), p99 = R(p.P99), max = R(p.Max) };

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (Db is not null) await Db.DisposeAsync();
        Say(Options.Keep ? $"Stopping the silo; data kept in {Options.DataDirectory}" : "Stopping the silo and removing its data");
        await Service.DisposeAsync();
    }
}
