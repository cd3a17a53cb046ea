using System.Text;

namespace Escalation.Bench.Scale;

/// <summary>
/// A restart with N incidents waiting: the silo is stopped (SIGTERM, or SIGKILL with --kill) and started again; the
/// time from the new process's start to /health/ready answering 200, then the latency of triggers sent open loop at
/// a steady rate, bucket by bucket, while the restarted silo takes its incidents back.
/// </summary>
public static class RestartMode
{
    public static async Task<int> Run(ScaleOptions options)
    {
        await using var run = await ScaleRun.Start(options, options.EscalateAfter ?? TimeSpan.FromMinutes(30));
        if (!run.Reused)
        {
            var created = await run.CreateIncidents($"restart-{Guid.NewGuid().ToString("N")[..6]}", options.Incidents);
            await run.WaitForFirstPages(created.Accepted.Count, TimeSpan.FromSeconds(30));
            ScaleRun.Say($"Settling for {options.Settle.TotalSeconds:0} s");
            await Task.Delay(options.Settle);
        }
        var (waiting, _) = await run.Db.IncidentsOf(run.Setup.ServiceId);

        var signal = options.Kill ? "SIGKILL" : "SIGTERM";
        ScaleRun.Say($"{waiting} incidents waiting; stopping the silo with {signal}");
        var stopClock = System.Diagnostics.Stopwatch.StartNew();
        await run.Service.Stop(options.Kill);
        var stopped = stopClock.Elapsed;
        ScaleRun.Say($"Stopped in {stopped.TotalSeconds:0.0} s; starting it again");
        var ready = await run.Service.StartAndWaitReady(TimeSpan.FromMinutes(10));
        ScaleRun.Say($"Ready after {ready.TotalSeconds:0.0} s; triggers at {options.Rate:0.#}/s for {options.AfterReady.TotalSeconds:0} s");
        // The pools of the stopped process's time hold dead connections.
        run.Db.Source.Clear();

        var loopStart = DateTime.UtcNow;
        using var http = TriggerLoad.CreateClient(run.BenchOptions);
        var load = await new TriggerLoad(http, run.BenchOptions).Paced("after-restart", options.Rate, options.AfterReady);
        ScaleRun.Say($"{load.Accepted.Count} accepted, {load.Errors} errors{ScaleRun.Errors(load)}");

        var buckets = Enumerable.Range(0, (int)Math.Ceiling(options.AfterReady / options.Bucket)).Select(b =>
        {
            var (from, to) = (loopStart + b * options.Bucket, loopStart + (b + 1) * options.Bucket);
            var accepted = load.Accepted.Where(a => a.SentAtUtc >= from && a.SentAtUtc < to).Select(a => a.LatencyMs);
            var errors = load.ErrorsSentAtUtc.Count(e => e >= from && e < to);
            return (From: b * options.Bucket, To: (b + 1) * options.Bucket, Latency: Percentiles.Of(accepted), Errors: errors);
        }).ToList();
        var all = Percentiles.Of(load.Accepted.Select(a => a.LatencyMs));

        var t = new StringBuilder();
        t.AppendLine();
        t.AppendLine($"Restart with {waiting} incidents waiting ({signal}, stopped in {stopped.TotalSeconds:0.0} s): first start ready in " +
                     $"{run.FirstReady.TotalSeconds:0.0} s, restart ready in {ready.TotalSeconds:0.0} s (process start to /health/ready 200); " +
                     $"PostgreSQL {run.PostgresVersion}, {Environment.ProcessorCount} CPUs");
        t.AppendLine($"Triggers at {options.Rate:0.#}/s (open loop, new dedup keys) from ready on:");
        t.AppendLine();
        t.AppendLine($"{"seconds after ready",-22}{"accepted",10}{"errors",8}{"p50 ms",10}{"p99 ms",10}{"max ms",10}");
        foreach (var b in buckets)
            t.AppendLine($"{$"{b.From.TotalSeconds:0}-{b.To.TotalSeconds:0}",-22}{b.Latency.Count,10}{b.Errors,8}{b.Latency.P50,10:0.0}{b.Latency.P99,10:0.0}{b.Latency.Max,10:0.0}");
        t.AppendLine($"{"all",-22}{all.Count,10}{load.Errors,8}{all.P50,10:0.0}{all.P99,10:0.0}{all.Max,10:0.0}");
        if (load.LateStarts > 0) t.AppendLine($"{load.LateStarts} sends started more than 5 ms behind schedule: the client was short of CPU.");
        await run.Print(t.ToString(), new
        {
            mode = "restart",
            started_at = DateTimeOffset.UtcNow,
            machine = run.Machine,
            incidents_waiting = waiting,
            signal,
            stop_seconds = ScaleRun.R(stopped.TotalSeconds),
            first_start_ready_seconds = ScaleRun.R(run.FirstReady.TotalSeconds),
            restart_ready_seconds = ScaleRun.R(ready.TotalSeconds),
            rate_per_second = options.Rate,
            accepted = load.Accepted.Count,
            errors = load.Errors,
            error_kinds = load.ErrorKinds,
            late_starts = load.LateStarts,
            accepted_ms = ScaleRun.Ms(all),
            buckets = buckets.Select(b => new
            {
                from_seconds = b.From.TotalSeconds,
                to_seconds = b.To.TotalSeconds,
                errors = b.Errors,
                accepted_ms = ScaleRun.Ms(b.Latency),
            }),
        });
        return 0;
    }
}
