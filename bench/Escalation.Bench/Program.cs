// --mode ingest (the default) drives a running Escalation service over loopback: (a) saturation with Events v2
// triggers, (b) the raw single-row INSERT ceiling of the same PostgreSQL, (c) triggers paced at half the rate of (a).
// Prints a table, then a JSON summary. Trigger-to-page is measured in SQL: first notification_deliveries.sent_at minus
// the client's send time. The scale modes (waiting, storm, dedup, restart) start the service themselves: see
// Scale/ScaleOptions.cs and docs/benchmarks.md.
using Escalation.Bench;
using Escalation.Bench.Scale;

var modeAt = Array.IndexOf(args, "--mode");
var mode = modeAt >= 0 && modeAt + 1 < args.Length ? args[modeAt + 1] : "ingest";
if (modeAt >= 0) args = [.. args[..modeAt], .. args[Math.Min(args.Length, modeAt + 2)..]];
if (mode != "ingest")
{
    try
    {
        var scale = ScaleOptions.Parse(mode, args);
        return mode switch
        {
            "waiting" => await WaitingMode.Run(scale),
            "storm" => await StormMode.Run(scale),
            "dedup" => await DedupMode.Run(scale),
            "restart" => await RestartMode.Run(scale),
            _ => throw new ArgumentException($"Unknown --mode '{mode}': ingest, waiting, storm, dedup or restart.\n\n{BenchOptions.Usage}\n{ScaleOptions.Usage}"),
        };
    }
    catch (Exception e) when (e is ArgumentException or FormatException)
    {
        Console.Error.WriteLine(e.Message);
        return 2;
    }
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

using var http = TriggerLoad.CreateClient(options);
await using var db = new Database(options);
var load = new TriggerLoad(http, options);
var drainSettle = TimeSpan.FromSeconds(5);
var drainLimit = TimeSpan.FromSeconds(120);
void Say(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

var started = DateTimeOffset.UtcNow;
var postgres = await db.ServerVersion();
Say($"PostgreSQL {postgres}; warming up for {options.Warmup.TotalSeconds:0} s against {options.Url}");
var warmup = await load.Saturate("warmup", options.Warmup);
if (warmup.Accepted.Count == 0)
{
    Say($"No trigger was accepted during the warm-up ({string.Join(", ", warmup.ErrorKinds.Select(e => $"{e.Key} x{e.Value}"))}): check --url and --routing-key.");
    return 1;
}
var before = await db.Counters();

Say($"(a) saturation: {options.Concurrency} senders for {options.Duration.TotalSeconds:0} s");
var saturation = await load.Saturate("sat", options.Duration);
Say($"(a) {saturation.Accepted.Count} accepted ({saturation.Rate:0.0}/s); waiting for their pages");
var saturationPages = await db.TriggerToPage(saturation.Accepted, drainSettle, drainLimit);
var batching = await db.Batching(saturation.Accepted);
var afterSaturation = await db.Counters();

Say($"(b) raw INSERT ceiling: {options.Concurrency} workers for {options.Duration.TotalSeconds:0} s");
var raw = await db.RawInserts(options.Duration);
var afterRaw = await db.Counters();

var halfRate = saturation.Rate / 2;
Say($"(c) half rate: {halfRate:0.0} triggers/s, open loop over {options.Concurrency} senders for {options.Duration.TotalSeconds:0} s");
var half = await load.Paced("half", halfRate, options.Duration);
Say($"(c) {half.Accepted.Count} accepted ({half.Rate:0.0}/s); waiting for their pages");
var halfPages = await db.TriggerToPage(half.Accepted, drainSettle, drainLimit);

Say($"Resolving the {warmup.Accepted.Count + saturation.Accepted.Count + half.Accepted.Count} incidents of this run (not measured)");
var resolved = await load.Resolve(new[] { warmup, saturation, half }.SelectMany(r => r.Accepted).Select(a => a.DedupKey));
Say($"Resolved {resolved.Accepted.Count} in {resolved.Elapsed.TotalSeconds:0.0} s ({resolved.Rate:0.0}/s), {resolved.Errors} errors");
var drained = await db.WaitForQuietLedger(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10));
Say($"Their updates were delivered {drained.TotalSeconds:0} s later; the next run starts on a quiet service");

var report = new Report(options, started, postgres, saturation, saturationPages, afterSaturation.Minus(before),
    raw, afterRaw.Minus(afterSaturation), halfRate, half, halfPages, resolved, batching);
Console.WriteLine(report.Table());
var json = report.Json();
Console.WriteLine(json);
if (options.JsonPath is { } path) await File.WriteAllTextAsync(path, json + Environment.NewLine);
return 0;
