using System.Globalization;
using System.Text;

namespace Escalation.Bench.Scale;

/// <summary>
/// A deadline storm: N incidents opened as fast as the senders go, in G groups, each group a service on its own policy
/// whose level 1 escalates after a time chosen when the group starts, so that every level-2 deadline (created_at + E
/// of its group) falls due within the storm's S seconds, which begin once all incidents are open and waiting (their
/// grains collected). Measures how late each level-2 page is, whether any incident paged level 2 twice, and how
/// late the incident's row (the list) holds level 2: after the escalation its timeline notes, before the page's claim.
/// </summary>
public static class StormMode
{
    /// <summary>One row per incident of a group's service: its deadline, its level-2 lateness and pages, the list row's lag.</summary>
    private const string Query = $"""
        WITH i AS (
            -- When the grain escalated, as its timeline says: the row holding level 2 commits just after, and before the
            -- page goes out (persist before any side effect), so the list shows level 2 between this and the claim.
            SELECT id, level, created_at,
                   (SELECT min((e->>'at')::timestamptz) FROM jsonb_array_elements(state->'timeline') e WHERE e->>'type' = 'escalated') AS escalated_at
            FROM incidents WHERE service_id = $1),
        page AS (
            -- The ledger's earliest time of a page is its claim (claimed_at, written when the channel takes it);
            -- sent_at follows it, or equals it on the log channel.
            SELECT d.incident_id, d.user_id, least(d.claimed_at, coalesce(d.sent_at, d.claimed_at)) AS at
            FROM notification_deliveries d JOIN i ON i.id = d.incident_id
            WHERE {ScaleDatabase.LevelOf} = 2),
        per_user AS (SELECT incident_id, user_id, count(*) AS pages, min(at) AS at FROM page GROUP BY incident_id, user_id),
        per_incident AS (SELECT incident_id, max(pages) AS most_per_user, min(at) AS at FROM per_user GROUP BY incident_id)
        SELECT extract(epoch FROM i.created_at + $2::interval)::float8,
               (extract(epoch FROM p.at - (i.created_at + $2::interval)) * 1000)::float8,
               coalesce(p.most_per_user, 0)::int,
               CASE WHEN i.level >= 2 THEN (extract(epoch FROM i.escalated_at - (i.created_at + $2::interval)) * 1000)::float8 END
        FROM i LEFT JOIN per_incident p ON p.incident_id = i.id
        """;

    /// <summary>A group escalates no sooner than this after it was opened, whatever the plan says.</summary>
    private static readonly TimeSpan ShortestEscalation = TimeSpan.FromSeconds(30);

    private sealed record Group(string ServiceId, TimeSpan EscalateAfter, TriggerRun Created);

    public static async Task<int> Run(ScaleOptions options)
    {
        await using var run = await ScaleRun.Start(options, TimeSpan.FromMinutes(30));
        if (run.Reused) throw new ArgumentException($"storm needs a fresh service: {options.DataDirectory} holds an earlier run's data.");

        var stormStart = DateTime.UtcNow + (options.StormLead ?? TimeSpan.FromSeconds(options.Incidents / 250.0 + 60));
        ScaleRun.Say($"Storm planned from {stormStart:HH:mm:ss} UTC for {options.Storm.TotalSeconds:0} s, {options.Groups} groups");
        var prefix = $"storm-{Guid.NewGuid().ToString("N")[..6]}";
        var step = options.Groups > 1 ? options.Storm / options.Groups : TimeSpan.Zero;
        var groups = new List<Group>();
        var clamped = 0;
        for (var g = 0; g < options.Groups; g++)
        {
            var count = options.Incidents / options.Groups + (g < options.Incidents % options.Groups ? 1 : 0);
            var planned = stormStart + g * step - DateTime.UtcNow;
            if (planned < ShortestEscalation) clamped++;
            var escalateAfter = TimeSpan.FromSeconds(Math.Round(Math.Max(planned.TotalSeconds, ShortestEscalation.TotalSeconds)));
            var serviceId = $"bench-g{g}";
            var routingKey = await run.Setup.ApplyGroup(run.Service.Url, serviceId, escalateAfter);
            var created = await run.LoadFor(routingKey).SendKeys(Enumerable.Range(0, count).Select(i => $"{prefix}-g{g}-{i}").ToArray());
            ScaleRun.Say($"Group {g}: {created.Accepted.Count} accepted at {created.Rate:0.0}/s, {created.Errors} errors{ScaleRun.Errors(created)}; " +
                         $"level 1 escalates after {escalateAfter.TotalSeconds:0} s");
            groups.Add(new Group(serviceId, escalateAfter, created));
            // The first group shows how long a group takes to open: the others start their deadlines so that the last
            // group's last one falls due at the storm's end.
            if (g == 0 && options.Groups > 1)
                step = TimeSpan.FromTicks(Math.Max(0, (options.Storm - Span(created)).Ticks / (options.Groups - 1)));
        }
        var expected = groups.Sum(g => g.Created.Accepted.Count);
        var lastDue = groups.Where(g => g.Created.Accepted.Count > 0).Max(g => g.Created.Accepted.Max(a => a.SentAtUtc) + g.EscalateAfter);
        var wait = lastDue - DateTime.UtcNow;
        ScaleRun.Say($"The last level-2 deadline falls due at {lastDue:HH:mm:ss} UTC; waiting {Math.Max(0, wait.TotalSeconds):0} s");
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        ScaleRun.Say($"Waiting for {expected} level-2 pages");
        var paged = await ScaleDatabase.WaitFor(async () =>
            {
                long sum = 0;
                foreach (var g in groups) sum += await run.Db.PagedAt(g.ServiceId, 2);
                return sum;
            }, expected, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(20), n => ScaleRun.Say($"  {n}/{expected} paged at level 2"));

        var deadlines = new List<double>();
        var lateness = new List<double>();
        var listLag = new List<double>();
        var (incidents, duplicates, missing, listNotAtLevel2) = (0, 0, 0, 0);
        foreach (var group in groups)
        {
            await using var cmd = run.Db.Source.CreateCommand(Query);
            cmd.Parameters.AddWithValue(group.ServiceId);
            cmd.Parameters.AddWithValue(group.EscalateAfter);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                incidents++;
                deadlines.Add(r.GetDouble(0));
                if (r.IsDBNull(1)) missing++;
                else lateness.Add(r.GetDouble(1));
                if (r.GetInt32(2) > 1) duplicates++;
                if (r.IsDBNull(3)) listNotAtLevel2++;
                else listLag.Add(r.GetDouble(3));
            }
        }
        var late = Percentiles.Of(lateness);
        var lag = Percentiles.Of(listLag);
        var early = lateness.Count(l => l < 0);
        var all = groups.SelectMany(g => g.Created.Accepted).ToList();
        var creationSpan = all.Count == 0 ? TimeSpan.Zero : all.Max(a => a.SentAtUtc) - all.Min(a => a.SentAtUtc);
        var creationRate = all.Count / Math.Max(0.001, creationSpan.TotalSeconds);
        var errors = groups.Sum(g => g.Created.Errors);
        var deadlineSpan = deadlines.Count == 0 ? 0 : deadlines.Max() - deadlines.Min();
        var peakPerSecond = deadlines.Count == 0 ? 0 : deadlines.GroupBy(d => Math.Floor(d)).Max(s => s.Count());
        var meanPerSecond = deadlines.Count / Math.Max(1, deadlineSpan);

        var t = new StringBuilder();
        t.AppendLine();
        t.AppendLine($"Deadline storm: {expected} incidents opened over {creationSpan.TotalSeconds:0.0} s ({creationRate:0.0}/s, {errors} errors), " +
                     $"in {groups.Count} groups; their level-2 deadlines fell due over {deadlineSpan:0.0} s ({meanPerSecond:0} a second on average, " +
                     $"{peakPerSecond} in the busiest second); PostgreSQL {run.PostgresVersion}, {Environment.ProcessorCount} CPUs");
        if (clamped > 0) t.AppendLine($"{clamped} group(s) were opened too late for the plan and escalate after {ShortestEscalation.TotalSeconds:0} s: raise --storm-lead");
        t.AppendLine();
        t.AppendLine($"{"",-46}{"count",8}{"p50 ms",12}{"p99 ms",12}{"max ms",12}");
        t.AppendLine($"{"level-2 page lateness (claim - deadline)",-46}{late.Count,8}{F(late.P50),12}{F(late.P99),12}{F(late.Max),12}");
        t.AppendLine($"{"escalation on the row (timeline - deadline)",-46}{lag.Count,8}{F(lag.P50),12}{F(lag.P99),12}{F(lag.Max),12}");
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
            errors,
            groups = groups.Select(g => new { service = g.ServiceId, accepted = g.Created.Accepted.Count, escalate_after_seconds = g.EscalateAfter.TotalSeconds }),
            clamped_groups = clamped,
            creation_rate_per_second = ScaleRun.R(creationRate),
            creation_span_seconds = ScaleRun.R(creationSpan.TotalSeconds),
            deadline_span_seconds = ScaleRun.R(deadlineSpan),
            deadlines_per_second_mean = ScaleRun.R(meanPerSecond),
            deadlines_per_second_peak = peakPerSecond,
            incidents,
            paged_level2 = paged,
            without_level2_page = missing,
            duplicate_level2 = duplicates,
            early_level2 = early,
            lateness_ms = ScaleRun.Ms(late),
            list_not_at_level2 = listNotAtLevel2,
            escalation_on_row_ms = ScaleRun.Ms(lag),
        });
        return duplicates == 0 ? 0 : 1;
    }

    private static TimeSpan Span(TriggerRun run) =>
        run.Accepted.Count == 0 ? TimeSpan.Zero : run.Accepted.Max(a => a.SentAtUtc) - run.Accepted.Min(a => a.SentAtUtc);

    private static string F(double v) => double.IsNaN(v) ? "-" : v.ToString("0.0", CultureInfo.InvariantCulture);
}
