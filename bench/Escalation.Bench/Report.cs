using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Escalation.Bench;

/// <summary>The figures of one run, as a table for people and a JSON object for scripts.</summary>
public sealed record Report(
    BenchOptions Options, DateTimeOffset StartedAt, string PostgresVersion,
    TriggerRun Saturation, PageLatency SaturationPages, DbCounters SaturationDb,
    RawInsertRun Raw, DbCounters RawDb,
    double HalfRateTarget, TriggerRun Half, PageLatency HalfPages, TriggerRun Cleanup, GroupCommitSizes Batching)
{
    public const double RatioTarget = 0.5;
    public const double HalfRateP99TargetMs = 50;

    public double Ratio => Saturation.Rate / Raw.Rate;

    public string Table()
    {
        var t = new StringBuilder();
        t.AppendLine();
        t.AppendLine($"Escalation benchmark: {Options.Url}, concurrency {Options.Concurrency}, {Options.Duration.TotalSeconds:0} s a phase, " +
                     $"PostgreSQL {PostgresVersion}, {Environment.ProcessorCount} CPUs");
        t.AppendLine();
        var header = Row("phase", "rate/s", "ok", "errors", "p50 ms", "p99 ms", "pages", "page p50", "page p99");
        t.AppendLine(header);
        t.AppendLine(new string('-', header.Length));
        t.AppendLine(Triggers("(a) saturation triggers", Saturation, SaturationPages));
        t.AppendLine(Row("(b) raw INSERT ceiling", F(Raw.Rate), Raw.Rows.ToString(CultureInfo.InvariantCulture), Raw.Errors.ToString(CultureInfo.InvariantCulture),
            F(Raw.LatencyMs.P50), F(Raw.LatencyMs.P99), "-", "-", "-"));
        t.AppendLine(Triggers($"(c) half rate ({F(HalfRateTarget)}/s)", Half, HalfPages));
        t.AppendLine();
        t.AppendLine($"ingest / raw ceiling:             {Ratio:0.00}  (target >= {RatioTarget:0.00}: {Verdict(Ratio >= RatioTarget)})");
        t.AppendLine($"p99 trigger-to-page at half rate: {F(HalfPages.TriggerToPageMs.P99)} ms  (target <= {HalfRateP99TargetMs:0} ms: " +
                     $"{Verdict(HalfPages.TriggerToPageMs.P99 <= HalfRateP99TargetMs)})");
        t.AppendLine($"PostgreSQL work per accepted event in (a), page included: {PerUnit(SaturationDb, Saturation.Accepted.Count)}");
        t.AppendLine($"group commit in (a), rows per transaction (lower bounds): incidents {Batching.IncidentRowsPerCommit:0.0}, " +
                     $"ledger settles {Batching.LedgerRowsPerCommit:0.0}");
        t.AppendLine($"PostgreSQL work per row in (b):                           {PerUnit(RawDb, Raw.Rows)}");
        t.AppendLine($"clean-up (not measured): {Cleanup.Accepted.Count} incidents resolved at {F(Cleanup.Rate)}/s, {Cleanup.Errors} errors");
        if (Half.LateStarts > 0) t.AppendLine($"(c) {Half.LateStarts} sends started more than 5 ms behind schedule: the client was short of CPU.");
        foreach (var (phase, run) in new[] { ("(a)", Saturation), ("(c)", Half), ("clean-up", Cleanup) })
            if (run.Errors > 0) t.AppendLine($"{phase} errors: {string.Join(", ", run.ErrorKinds.Select(e => $"{e.Key} x{e.Value}"))}");
        return t.ToString();
    }

    public string Json() => JsonSerializer.Serialize(new
    {
        started_at = StartedAt,
        url = Options.Url,
        concurrency = Options.Concurrency,
        duration_seconds = Options.Duration.TotalSeconds,
        machine = new
        {
            processors = Environment.ProcessorCount,
            os = RuntimeInformation.OSDescription,
            dotnet = RuntimeInformation.FrameworkDescription,
            postgres = PostgresVersion,
        },
        saturation = new
        {
            accepted = Saturation.Accepted.Count,
            errors = Saturation.Errors,
            error_kinds = Saturation.ErrorKinds,
            events_per_second = R(Saturation.Rate),
            accepted_ms = Ms(Percentiles.Of(Saturation.Accepted.Select(a => a.LatencyMs))),
            pages_found = SaturationPages.Found,
            trigger_to_page_ms = Ms(SaturationPages.TriggerToPageMs),
            db_per_event = Db(SaturationDb, Saturation.Accepted.Count),
            incident_rows_per_commit = R(Batching.IncidentRowsPerCommit),
            ledger_rows_per_commit = R(Batching.LedgerRowsPerCommit),
        },
        raw_insert = new
        {
            rows = Raw.Rows,
            errors = Raw.Errors,
            rows_per_second = R(Raw.Rate),
            insert_ms = Ms(Raw.LatencyMs),
            db_per_row = Db(RawDb, Raw.Rows),
        },
        ingest_to_raw_ratio = R(Ratio),
        half_rate = new
        {
            target_events_per_second = R(HalfRateTarget),
            events_per_second = R(Half.Rate),
            accepted = Half.Accepted.Count,
            errors = Half.Errors,
            error_kinds = Half.ErrorKinds,
            late_starts = Half.LateStarts,
            accepted_ms = Ms(Percentiles.Of(Half.Accepted.Select(a => a.LatencyMs))),
            pages_found = HalfPages.Found,
            trigger_to_page_ms = Ms(HalfPages.TriggerToPageMs),
        },
        cleanup = new
        {
            resolved = Cleanup.Accepted.Count,
            errors = Cleanup.Errors,
            resolves_per_second = R(Cleanup.Rate),
        },
        targets = new
        {
            ingest_to_raw_ratio_min = RatioTarget,
            ingest_to_raw_ratio_met = Ratio >= RatioTarget,
            half_rate_p99_trigger_to_page_max_ms = HalfRateP99TargetMs,
            half_rate_p99_trigger_to_page_met = HalfPages.TriggerToPageMs.P99 <= HalfRateP99TargetMs,
        },
    }, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private string Triggers(string phase, TriggerRun run, PageLatency pages)
    {
        var accepted = Percentiles.Of(run.Accepted.Select(a => a.LatencyMs));
        return Row(phase, F(run.Rate), run.Accepted.Count.ToString(CultureInfo.InvariantCulture), run.Errors.ToString(CultureInfo.InvariantCulture),
            F(accepted.P50), F(accepted.P99), $"{pages.Found}/{run.Accepted.Count}", F(pages.TriggerToPageMs.P50), F(pages.TriggerToPageMs.P99));
    }

    private static string Row(string phase, params string[] cells) =>
        phase.PadRight(30) + string.Concat(cells.Select((c, i) => (i == 5 ? c.PadLeft(13) : c.PadLeft(10))));

    private static string PerUnit(DbCounters d, int units) => units == 0 ? "-" :
        $"{d.Commits / (double)units:0.0} commits, {d.Inserted / (double)units:0.0} rows inserted, " +
        $"{d.Updated / (double)units:0.0} rows updated, {d.WalBytes / (double)units / 1024:0.0} KiB of WAL";

    private static object Db(DbCounters d, int units) => new
    {
        commits = units == 0 ? 0 : R(d.Commits / (double)units),
        rows_inserted = units == 0 ? 0 : R(d.Inserted / (double)units),
        rows_updated = units == 0 ? 0 : R(d.Updated / (double)units),
        wal_bytes = units == 0 ? 0 : R(d.WalBytes / (double)units),
    };

    private static object Ms(Percentiles p) => new { count = p.Count, p50 = R(p.P50), p99 = R(p.P99), max = R(p.Max) };

    private static double R(double value) => Math.Round(value, 2);

    private static string F(double value) => double.IsNaN(value) ? "-" : value.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Verdict(bool met) => met ? "met" : "MISSED";
}
