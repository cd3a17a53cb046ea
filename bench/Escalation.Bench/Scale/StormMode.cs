using System.Globalization;
using System.Text;

namespace Escalation.Bench.Scale;

/// <summary>
/// A deadline storm: N incidents opened as fast as the senders go, whose level 1 escalates after E, so that their
/// level-2 deadlines (created_at + E) fall due at the rate they were opened. Measures how late each level-2 page is,
/// whether any incident paged level 2 twice, and how late the incident list shows level 2.
/// </summary>
public static class StormMode
{
    /// <summary>One row per incident of the bench's service: its level-2 pages, and the list row's lag.</summary>
    private const string Query = $"""
        WITH i AS (SELECT id, level, created_at, updated_at FROM incidents WHERE service_id = $1),
        page AS (
            -- The ledger's earliest time of a page is its claim (claimed_at, written when the channel takes it);
            -- sent_at follows it, or equals it on the log channel.
            SELECT d.incident_id, d.user_id, least(d.claimed_at, coalesce(d.sent_at, d.claimed_at)) AS at
            FROM notification_deliveries d JOIN i ON i.id = d.incident_id
            WHERE {ScaleDatabase.LevelOf} = 2),
        per_user AS (SELECT incident_id, user_id, count(*) AS pages, min(at) AS at FROM page GROUP BY incident_id, user_id),
        per_incident AS (SELECT incident_id, max(pages) AS most_per_user, min(at) AS at FROM per_user GROUP BY incident_id)
        SELECT (extract(epoch FROM p.at - (i.created_at + $2::interval)) * 1000)::float8,
               coalesce(p.most_per_user, 0)::int,
               CASE WHEN i.level >= 2 THEN (extract(epoch FROM i.updated_at - (i.created_at + $2::interval)) * 1000)::float8 END
        FROM i LEFT JOIN per_incident p ON p.incident_id = i.id
        """;

    public static async Task<int> Run(ScaleOptions options)
    {
        var escalateAfter = options.EscalateAfter ?? TimeSpan.FromMinutes(3);
        await using var run = await ScaleRun.Start(options, escalateAfter);
        if (run.Reused) throw new ArgumentException($"storm needs a fresh service: {options.DataDirectory} holds an earlier run's data.");

        var created = await run.CreateIncidents($"storm-{Guid.NewGuid().ToString("N")[..6]}", options.Incidents);
        var expected = created.Accepted.Count;
        var lastDue = created.Accepted.Max(a => a.SentAtUtc) + escalateAfter;
        var wait = lastDue - DateTime.UtcNow;
        ScaleRun.Say($"The last level-2 deadline falls due at {lastDue:HH:mm:ss} UTC; waiting {Math.Max(0, wait.TotalSeconds):0} s");
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        ScaleRun.Say($"Waiting for {expected} level-2 pages");
        var paged = await ScaleDatabase.WaitFor(() => run.Db.PagedAt(run.Setup.ServiceId, 2), expected,
            TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(20), n => ScaleRun.Say($"  {n}/{expected} paged at level 2"));

        var lateness = new List<double>();
        var listLag = new List<double>();
        var (incidents, duplicates, missing, listNotAtLevel2) = (0, 0, 0, 0);
        await using (var cmd = run.Db.Source.CreateCommand(Query))
        {
            cmd.Parameters.AddWithValue(run.Setup.ServiceId);
            cmd.Parameters.AddWithValue(escalateAfter);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                incidents++;
                if (r.IsDBNull(0)) missing++;
                else lateness.Add(r.GetDouble(0));
                if (r.GetInt32(1) > 1) duplicates++;
                if (r.IsDBNull(2)) listNotAtLevel2++;
                else listLag.Add(r.GetDouble(2));
            }
        }
        var late = Percentiles.Of(lateness);
        var lag = Percentiles.Of(listLag);
        var early = lateness.Count(l => l < 0);
        var creationSpan = created.Accepted.Count == 0 ? TimeSpan.Zero : created.Accepted.Max(a => a.SentAtUtc) - created.Accepted.Min(a => a.SentAtUtc);

        var t = new StringBuilder();
        t.AppendLine();
        t.AppendLine($"Deadline storm: {expected} incidents opened over {creationSpan.TotalSeconds:0.0} s ({created.Rate:0.0}/s, {created.Errors} errors" +
                     $"{ScaleRun.Errors(created)}), level 1 escalates after {escalateAfter.TotalSeconds:0} s; PostgreSQL {run.PostgresVersion}, {Environment.ProcessorCount} CPUs");
        t.AppendLine();
        t.AppendLine($"{"",-46}{"count",8}{"p50 ms",12}{"p99 ms",12}{"max ms",12}");
        t.AppendLine($"{"level-2 page lateness (claim - deadline)",-46}{late.Count,8}{F(late.P50),12}{F(late.P99),12}{F(late.Max),12}");
        t.AppendLine($"{"incident list lag (updated_at - deadline)",-46}{lag.Count,8}{F(lag.P50),12}{F(lag.P99),12}{F(lag.Max),12}");
        t.AppendLine();
        t.AppendLine($"incidents {incidents}; without a level-2 page {missing}; paged level 2 more than once for the same user {duplicates}; " +
                     $"level-2 page before its deadline {early}; list row not at level 2 {listNotAtLevel2}");
        await run.Print(t.ToString(), new
        {
            mode = "storm",
            started_at = DateTimeOffset.UtcNow,
            machine = run.Machine,
            incidents_requested = options.Incidents,
            accepted = expected,
            errors = created.Errors,
            error_kinds = created.ErrorKinds,
            creation_rate_per_second = ScaleRun.R(created.Rate),
            creation_span_seconds = ScaleRun.R(creationSpan.TotalSeconds),
            escalate_after_seconds = escalateAfter.TotalSeconds,
            incidents,
            paged_level2 = paged,
            without_level2_page = missing,
            duplicate_level2 = duplicates,
            early_level2 = early,
            lateness_ms = ScaleRun.Ms(late),
            list_not_at_level2 = listNotAtLevel2,
            list_lag_ms = ScaleRun.Ms(lag),
        });
        return duplicates == 0 ? 0 : 1;
    }

    private static string F(double v) => double.IsNaN(v) ? "-" : v.ToString("0.0", CultureInfo.InvariantCulture);
}
