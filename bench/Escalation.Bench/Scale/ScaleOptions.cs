using System.Globalization;

namespace Escalation.Bench.Scale;

/// <summary>The command line of the modes that start the service themselves (waiting, storm, dedup, restart).</summary>
public sealed record ScaleOptions(
    string Mode, string SiloDll, string DataDirectory, bool Keep, int HttpPort, int SiloPort,
    int Incidents, int Concurrency, TimeSpan Settle, TimeSpan Calm, TimeSpan Window, TimeSpan? EscalateAfter,
    int Triggers, int Keys, int Distinct, double Rate, TimeSpan AfterReady, TimeSpan Bucket, bool Kill, string? JsonPath,
    int Groups, TimeSpan Storm, TimeSpan? StormLead)
{
    public const string Usage = """
        Scale modes: the bench starts the built Release silo itself, on a fresh embedded PostgreSQL, sets it up over the API
        (one user paged on email, which goes to the log; a two-level policy; a service), runs, stops it and removes the data.
          Escalation.Bench --mode waiting|storm|dedup|restart [options]

          --silo FILE         the silo to run (default: src/Escalation.Silo/bin/Release/net10.0/Escalation.Silo.dll,
                              looked up from the current directory upwards; build it with dotnet build -c Release src/Escalation.Silo)
          --data DIR          the service's data directory (default /tmp/escalation-bench-<mode>-<random>); with restart, a
                              directory kept by an earlier run (--keep) is reused with its incidents and set-up
          --keep              keep the data directory at the end (default: removed, unless it was reused)
          --port, --silo-port HTTP and silo-to-silo ports (default: free ones)
          --concurrency       concurrent senders (default 32)
          --json              also write the JSON summary to this file

          waiting   idle CPU and RSS of the silo (and PostgreSQL's CPU and transactions) with 0 and with N waiting incidents
            --incidents 100000 --settle 150 (seconds after the last page, for grain activations to be collected)
            --calm 20 (seconds after start before the empty window) --window 60 (seconds each idle window)
            --escalate-after 1800 (seconds, each level)
          storm     N incidents in G groups (a service and policy each), every group's level 1 escalating at a time
                    chosen so that all N level-2 deadlines fall due within S seconds, starting L seconds after the run
                    began: lateness of the level-2 page, duplicates, incident-list lag, the deadlines' span and peak rate
            --incidents 10000 --groups 10 --storm-seconds 120 --storm-lead (default N/250 + 60)
          dedup     N triggers over K dedup keys against N' triggers with distinct keys
            --triggers 100000 --keys 10 --distinct 10000
          restart   N waiting incidents, stop and start the silo: time to /health/ready, then triggers at a steady rate
            --incidents 10000 --settle 30 --kill (SIGKILL; default SIGTERM) --rate 50 --after-ready 90 --bucket 15
        """;

    public static ScaleOptions Parse(string mode, string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "-h" or "--help") throw new ArgumentException(Usage);
            if (args[i] is "--keep" or "--kill")
            {
                flags.Add(args[i][2..]);
                continue;
            }
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"Unexpected argument '{args[i]}'.\n\n{Usage}");
            values[args[i][2..]] = args[++i];
        }
        string? Get(string name) => values.Remove(name, out var v) ? v : null;
        int Int(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        double Double(string name, double fallback) => Get(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        TimeSpan Seconds(string name, int fallback) => TimeSpan.FromSeconds(Int(name, fallback));

        var defaultIncidents = mode == "waiting" ? 100_000 : 10_000;
        var options = new ScaleOptions(
            mode,
            Get("silo") ?? FindSilo(),
            Path.GetFullPath(Get("data") ?? $"/tmp/escalation-bench-{mode}-{Guid.NewGuid().ToString("N")[..6]}"),
            flags.Contains("keep"),
            Int("port", 0), Int("silo-port", 0),
            Int("incidents", defaultIncidents), Int("concurrency", 32),
            Seconds("settle", mode == "restart" ? 30 : 150), Seconds("calm", 20), Seconds("window", 60),
            Get("escalate-after") is { } e ? TimeSpan.FromSeconds(int.Parse(e, CultureInfo.InvariantCulture)) : null,
            Int("triggers", 100_000), Int("keys", 10), Int("distinct", 10_000),
            Double("rate", 50), Seconds("after-ready", 90), Seconds("bucket", 15),
            flags.Contains("kill"), Get("json"),
            Int("groups", 10), Seconds("storm-seconds", 120),
            Get("storm-lead") is { } lead ? TimeSpan.FromSeconds(int.Parse(lead, CultureInfo.InvariantCulture)) : null);
        if (values.Count > 0) throw new ArgumentException($"Unknown option(s) for --mode {mode}: {string.Join(", ", values.Keys.Select(k => "--" + k))}\n\n{Usage}");
        if (options.Concurrency < 1 || options.Incidents < 1 || options.Triggers < 1 || options.Keys < 1 || options.Distinct < 1 ||
            options.Rate <= 0 || options.Window <= TimeSpan.Zero || options.Bucket <= TimeSpan.Zero || options.Groups < 1)
            throw new ArgumentException("--concurrency, --incidents, --triggers, --keys, --distinct, --rate, --window, --bucket and --groups must be positive.");
        if (!File.Exists(options.SiloDll)) throw new ArgumentException($"{options.SiloDll} not found: build it with dotnet build -c Release src/Escalation.Silo, or pass --silo.");
        return options;
    }

    private static string FindSilo()
    {
        const string relative = "src/Escalation.Silo/bin/Release/net10.0/Escalation.Silo.dll";
        for (var dir = Directory.GetCurrentDirectory(); dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, relative))) return Path.Combine(dir, relative);
        return Path.GetFullPath(relative);
    }
}
