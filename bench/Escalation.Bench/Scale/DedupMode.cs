using System.Text;

namespace Escalation.Bench.Scale;

/// <summary>
/// Deduplication: N triggers spread over K dedup keys must make exactly K incidents whose alert counts add up to N.
/// Its rate is compared with that of N' triggers with distinct keys (each opening an incident) in the same run.
/// </summary>
public static class DedupMode
{
    private const string CountQuery = "SELECT count(*), coalesce(sum(alert_count), 0) FROM incidents WHERE service_id = $1 AND dedup_key LIKE $2";

    public static async Task<int> Run(ScaleOptions options)
    {
        await using var run = await ScaleRun.Start(options, options.EscalateAfter ?? TimeSpan.FromMinutes(30));
        var tag = Guid.NewGuid().ToString("N")[..6];

        // A fresh silo is still compiling its hot paths: warm it up, unmeasured, before either measured run.
        await run.CreateIncidents($"warmup-{tag}", Math.Min(1000, options.Distinct));
        var distinct = await run.CreateIncidents($"new-{tag}", options.Distinct);

        var prefix = $"dedup-{tag}-";
        var keys = Enumerable.Range(0, options.Triggers).Select(i => prefix + (i % options.Keys)).ToArray();
        ScaleRun.Say($"Sending {options.Triggers} triggers over {options.Keys} dedup keys with {options.Concurrency} senders");
        var dedup = await run.Load.SendKeys(keys);
        ScaleRun.Say($"{dedup.Accepted.Count} accepted at {dedup.Rate:0.0}/s, {dedup.Errors} errors{ScaleRun.Errors(dedup)}");

        // The read model may trail the grains a little: wait until the counts stop moving.
        var (incidents, alerts) = (0L, 0L);
        await ScaleDatabase.WaitFor(async () =>
        {
            (incidents, alerts) = await Count(run, prefix);
            return alerts;
        }, dedup.Accepted.Count, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));

        var ratio = dedup.Rate / distinct.Rate;
        var incidentsOk = incidents == options.Keys;
        var alertsOk = alerts == dedup.Accepted.Count;
        var t = new StringBuilder();
        t.AppendLine();
        t.AppendLine($"Dedup: {options.Triggers} triggers over {options.Keys} keys, {options.Concurrency} senders; PostgreSQL {run.PostgresVersion}, {Environment.ProcessorCount} CPUs");
        t.AppendLine();
        t.AppendLine($"{"",-34}{"triggers",10}{"accepted",10}{"errors",8}{"rate/s",10}{"p50 ms",10}{"p99 ms",10}");
        void Row(string name, int sent, TriggerRun r)
        {
            var p = Percentiles.Of(r.Accepted.Select(a => a.LatencyMs));
            t.AppendLine($"{name,-34}{sent,10}{r.Accepted.Count,10}{r.Errors,8}{r.Rate,10:0.0}{p.P50,10:0.0}{p.P99,10:0.0}");
        }
        Row("distinct keys (new incidents)", options.Distinct, distinct);
        Row($"{options.Keys} keys (deduplicated)", options.Triggers, dedup);
        t.AppendLine();
        t.AppendLine($"dedup rate / new-incident rate: {ratio:0.00}");
        t.AppendLine($"incidents for the {options.Keys} keys: {incidents} ({(incidentsOk ? "exactly K" : "WRONG")}); " +
                     $"alert_count sum {alerts} of {dedup.Accepted.Count} accepted ({(alertsOk ? "adds up" : "WRONG")})");
        foreach (var (name, r) in new[] { ("distinct", distinct), ("dedup", dedup) })
            if (r.Errors > 0) t.AppendLine($"{name} errors:{ScaleRun.Errors(r)}");
        await run.Print(t.ToString(), new
        {
            mode = "dedup",
            started_at = DateTimeOffset.UtcNow,
            machine = run.Machine,
            concurrency = options.Concurrency,
            distinct = Summary(options.Distinct, distinct),
            dedup = Summary(options.Triggers, dedup),
            keys = options.Keys,
            dedup_to_new_rate_ratio = ScaleRun.R(ratio),
            incidents,
            incidents_exactly_keys = incidentsOk,
            alert_count_sum = alerts,
            alert_count_adds_up = alertsOk,
        });
        return incidentsOk && alertsOk ? 0 : 1;
    }

    private static object Summary(int sent, TriggerRun r) => new
    {
        triggers = sent,
        accepted = r.Accepted.Count,
        errors = r.Errors,
        error_kinds = r.ErrorKinds,
        triggers_per_second = ScaleRun.R(r.Rate),
        accepted_ms = ScaleRun.Ms(Percentiles.Of(r.Accepted.Select(a => a.LatencyMs))),
    };

    private static async Task<(long Incidents, long Alerts)> Count(ScaleRun run, string prefix)
    {
        await using var cmd = run.Db.Source.CreateCommand(CountQuery);
        cmd.Parameters.AddWithValue(run.Setup.ServiceId);
        cmd.Parameters.AddWithValue(prefix + "%");
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.GetInt64(0), r.GetInt64(1));
    }
}
