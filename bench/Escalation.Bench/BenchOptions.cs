using System.Globalization;

namespace Escalation.Bench;

/// <summary>The command line. Either a connection string or the service's embedded data directory names the database.</summary>
public sealed record BenchOptions(
    Uri Url, string RoutingKey, string ConnectionString, int Concurrency, TimeSpan Duration, TimeSpan Warmup, string? JsonPath)
{
    public const string Usage = """
        Usage: Escalation.Bench [--mode ingest] --routing-key KEY (--connection-string CS | --embedded-data DIR)
                                [--url http://127.0.0.1:5080] [--concurrency 16] [--duration 20] [--warmup 10] [--json FILE]
               Escalation.Bench --mode waiting|storm|dedup|restart [options]   (--mode waiting --help for those)

          ingest (the default) drives a service that is already running:

          --routing-key       integration key of the service to trigger (printed by the service at start)
          --connection-string the service's PostgreSQL (Npgsql syntax)
          --embedded-data     the service's embedded data directory (e.g. src/Escalation.Silo/.escalation-data):
                              the port is read from <dir>/postgres/postmaster.pid, the password from <dir>/postgres.password
          --concurrency       concurrent senders / inserters (default 16)
          --duration          seconds per measured phase (default 20)
          --warmup            seconds of unmeasured triggers before the first phase (default 10; a freshly started service is still compiling its hot paths)
          --json              also write the JSON summary to this file
        """;

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "-h" or "--help") throw new ArgumentException(Usage);
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"Unexpected argument '{args[i]}'.\n\n{Usage}");
            values[args[i][2..]] = args[++i];
        }
        string? Get(string name) => values.Remove(name, out var v) ? v : null;
        int Int(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

        var url = new Uri(Get("url") ?? "http://127.0.0.1:5080");
        var routingKey = Get("routing-key") ?? throw new ArgumentException($"--routing-key is required.\n\n{Usage}");
        var connectionString = (Get("connection-string"), Get("embedded-data")) switch
        {
            ({ } cs, null) => cs,
            (null, { } dir) => EmbeddedConnectionString(dir),
            _ => throw new ArgumentException($"Give exactly one of --connection-string and --embedded-data.\n\n{Usage}"),
        };
        var options = new BenchOptions(url, routingKey, connectionString,
            Int("concurrency", 16), TimeSpan.FromSeconds(Int("duration", 20)), TimeSpan.FromSeconds(Int("warmup", 10)), Get("json"));
        if (values.Count > 0) throw new ArgumentException($"Unknown option(s): {string.Join(", ", values.Keys.Select(k => "--" + k))}\n\n{Usage}");
        if (options.Concurrency < 1 || options.Duration <= TimeSpan.Zero) throw new ArgumentException("--concurrency and --duration must be positive.");
        return options;
    }

    /// <summary>postmaster.pid: line 1 is the pid, 2 the data directory, 3 the start time, 4 the port.</summary>
    internal static string EmbeddedConnectionString(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postgres", "postmaster.pid");
        if (!File.Exists(pidFile)) throw new ArgumentException($"{pidFile} not found: is the service running with this data directory?");
        var lines = File.ReadAllLines(pidFile);
        if (lines.Length < 4 || !int.TryParse(lines[3], CultureInfo.InvariantCulture, out var port))
            throw new ArgumentException($"{pidFile} has no port on line 4.");
        // The embedded server asks for the password it keeps in the data directory (owner only: run as that owner).
        var password = File.ReadAllText(Path.Combine(dataDirectory, "postgres.password")).Trim();
        return $"Host=127.0.0.1;Port={port};Username=postgres;Password={password};Database=escalation";
    }
}
