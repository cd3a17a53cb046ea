using System.Diagnostics;

namespace Escalation.Bench.Scale;

/// <summary>
/// What an idle silo costs over one window: its CPU (and PostgreSQL's), its memory at the end, and the work it had
/// PostgreSQL do. Commits come from pg_stat_database, whose counts a backend may report up to 10 s late, so over a
/// 60 s window they are good to about a sixth, and include the bench's own three or four reads; statements come from pg_stat_statements when it is installed.
/// </summary>
public sealed record IdleWindow(
    double WallSeconds, double SiloCpuSeconds, long SiloRssKb, double? PostgresCpuSeconds, long? PostgresPssKb,
    long Commits, long? Statements)
{
    public double SiloCores => SiloCpuSeconds / WallSeconds;
    public double? PostgresCores => PostgresCpuSeconds / WallSeconds;
    public double CommitsPerSecond => Commits / WallSeconds;

    public static async Task<IdleWindow> Measure(ScaleRun run, TimeSpan window)
    {
        var data = run.Options.DataDirectory;
        var commits = await run.Db.Commits();
        var statements = await run.Db.Statements();
        var silo = run.Service.CpuSeconds();
        var postgres = ProcStat.PostgresCpuSeconds(data);
        var clock = Stopwatch.StartNew();
        await Task.Delay(window);
        var wall = clock.Elapsed.TotalSeconds;
        var siloAfter = run.Service.CpuSeconds();
        var postgresAfter = ProcStat.PostgresCpuSeconds(data);
        var rss = run.Service.RssKb();
        var postgresRss = ProcStat.PostgresPssKb(data);
        var commitsAfter = await run.Db.Commits();
        var statementsAfter = await run.Db.Statements();
        return new IdleWindow(wall, siloAfter - silo, rss, postgresAfter - postgres, postgresRss,
            commitsAfter - commits, statementsAfter - statements);
    }

    public object Json() => new
    {
        wall_seconds = ScaleRun.R(WallSeconds),
        silo_cpu_seconds = ScaleRun.R(SiloCpuSeconds),
        silo_cores = ScaleRun.R(SiloCores),
        silo_rss_kb = SiloRssKb,
        postgres_cpu_seconds = PostgresCpuSeconds is { } p ? ScaleRun.R(p) : (double?)null,
        postgres_cores = PostgresCores is { } c ? ScaleRun.R(c) : (double?)null,
        postgres_pss_kb = PostgresPssKb,
        commits = Commits,
        commits_per_second = ScaleRun.R(CommitsPerSecond),
        statements = Statements,
    };
}
