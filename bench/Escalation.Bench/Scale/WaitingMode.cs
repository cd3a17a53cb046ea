using System.Globalization;
using System.Text;

namespace Escalation.Bench.Scale;

/// <summary>
/// What N incidents cost while they wait for their next escalation: idle CPU and memory of the silo (and of its
/// PostgreSQL) with no incident, then with N open ones whose next level is far away.
/// </summary>
public static class WaitingMode
{
    public static async Task<int> Run(ScaleOptions options)
    {
        var escalateAfter = options.EscalateAfter ?? TimeSpan.FromMinutes(30);
        await using var run = await ScaleRun.Start(options, escalateAfter);
        if (run.Reused) throw new ArgumentException($"waiting measures an empty silo first: {options.DataDirectory} holds an earlier run's data.");

        ScaleRun.Say($"Calm for {options.Calm.TotalSeconds:0} s, then the empty idle window of {options.Window.TotalSeconds:0} s");
        await Task.Delay(options.Calm);
        var empty = await IdleWindow.Measure(run, options.Window);
        ScaleRun.Say($"Empty: {empty.SiloCores:0.000} cores, {empty.SiloRssKb / 1024.0:0.0} MB RSS");

        var created = await run.CreateIncidents($"wait-{Guid.NewGuid().ToString("N")[..6]}", options.Incidents);
        var incidents = await ScaleDatabase.WaitFor(async () => (await run.Db.IncidentsOf(run.Setup.ServiceId)).Incidents,
            created.Accepted.Count, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30));
        var paged = await run.WaitForFirstPages(created.Accepted.Count, TimeSpan.FromSeconds(30));
        ScaleRun.Say($"{incidents} incidents in the list; settling for {options.Settle.TotalSeconds:0} s, then the waiting idle window");
        await Task.Delay(options.Settle);
        var waiting = await IdleWindow.Measure(run, options.Window);
        ScaleRun.Say($"Waiting: {waiting.SiloCores:0.000} cores, {waiting.SiloRssKb / 1024.0:0.0} MB RSS");

        var perIncidentKb = incidents == 0 ? double.NaN : (waiting.SiloRssKb - empty.SiloRssKb) / (double)incidents;
        await run.Print(Table(options, run, created, incidents, paged, empty, waiting, perIncidentKb), new
        {
            mode = "waiting",
            started_at = DateTimeOffset.UtcNow,
            machine = run.Machine,
            incidents_requested = options.Incidents,
            accepted = created.Accepted.Count,
            errors = created.Errors,
            error_kinds = created.ErrorKinds,
            creation_rate_per_second = ScaleRun.R(created.Rate),
            incidents_listed = incidents,
            incidents_paged_level1 = paged,
            escalate_after_seconds = escalateAfter.TotalSeconds,
            settle_seconds = options.Settle.TotalSeconds,
            empty = empty.Json(),
            waiting = waiting.Json(),
            silo_cores_difference = ScaleRun.R(waiting.SiloCores - empty.SiloCores),
            postgres_cores_difference = waiting.PostgresCores - empty.PostgresCores is { } d ? ScaleRun.R(d) : (double?)null,
            commits_per_second_difference = ScaleRun.R(waiting.CommitsPerSecond - empty.CommitsPerSecond),
            silo_rss_growth_kb = waiting.SiloRssKb - empty.SiloRssKb,
            silo_rss_kb_per_waiting_incident = ScaleRun.R(perIncidentKb),
        });
        return 0;
    }

    private static string Table(ScaleOptions options, ScaleRun run, TriggerRun created, long incidents, long paged,
        IdleWindow empty, IdleWindow waiting, double perIncidentKb)
    {
        static string F(double? v, string format = "0.000") => v is { } x && !double.IsNaN(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "-";
        var t = new StringBuilder();
        t.AppendLine();
        t.AppendLine($"Waiting incidents: {options.Incidents} requested, {created.Accepted.Count} accepted at {created.Rate:0.0}/s " +
                     $"({created.Errors} errors{ScaleRun.Errors(created)}), {incidents} listed, {paged} paged at level 1; " +
                     $"idle windows of {options.Window.TotalSeconds:0} s, settle {options.Settle.TotalSeconds:0} s; " +
                     $"PostgreSQL {run.PostgresVersion}, {Environment.ProcessorCount} CPUs");
        t.AppendLine();
        t.AppendLine($"{"",-28}{"empty",14}{"waiting",14}{"difference",14}");
        void Row(string name, double? a, double? b, string format = "0.000") =>
            t.AppendLine($"{name,-28}{F(a, format),14}{F(b, format),14}{F(b - a, format),14}");
        Row("silo CPU (cores)", empty.SiloCores, waiting.SiloCores);
        Row("silo RSS (MB)", empty.SiloRssKb / 1024.0, waiting.SiloRssKb / 1024.0, "0.0");
        Row("PostgreSQL CPU (cores)", empty.PostgresCores, waiting.PostgresCores);
        Row("PostgreSQL PSS (MB)", empty.PostgresPssKb / 1024.0, waiting.PostgresPssKb / 1024.0, "0.0");
        Row("commits/s", empty.CommitsPerSecond, waiting.CommitsPerSecond, "0.00");
        Row("statements (window)", empty.Statements, waiting.Statements, "0");
        t.AppendLine();
        t.AppendLine($"silo RSS growth per waiting incident: {F(perIncidentKb, "0.00")} KB");
        if (empty.Statements is null) t.AppendLine("pg_stat_statements is not installed: commits (pg_stat_database.xact_commit) stand for the statements.");
        return t.ToString();
    }
}
