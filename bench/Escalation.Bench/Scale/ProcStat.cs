using System.Globalization;

namespace Escalation.Bench.Scale;

/// <summary>CPU time and memory of processes, from Linux's /proc.</summary>
public static class ProcStat
{
    /// <summary>/proc counts CPU time in USER_HZ ticks, 100 a second on Linux whatever the kernel's own HZ.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>
    /// utime + stime, plus cutime + cstime when asked: the CPU of children that exited and were waited for, such as
    /// PostgreSQL backends that ended, which the postmaster reaps.
    /// </summary>
    public static double CpuSeconds(int pid, bool includeReapedChildren)
    {
        var f = Fields(pid);
        var ticks = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
        if (includeReapedChildren) ticks += long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture);
        return ticks / TicksPerSecond;
    }

    public static long RssKb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return 0;
    }

    /// <summary>
    /// The CPU seconds of the embedded PostgreSQL of <paramref name="dataRoot"/>: the postmaster (line 1 of
    /// postgres/postmaster.pid) with its reaped children, plus its living children. Null when it is not running.
    /// </summary>
    public static double? PostgresCpuSeconds(string dataRoot)
    {
        if (PostmasterPid(dataRoot) is not { } postmaster) return null;
        try
        {
            var total = CpuSeconds(postmaster, includeReapedChildren: true);
            foreach (var child in ChildrenOf(postmaster))
            {
                try
                {
                    total += CpuSeconds(child, includeReapedChildren: false);
                }
                catch (IOException)
                {
                    // Exited between the listing and the read: its time is now in the postmaster's cutime.
                }
            }
            return total;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// The memory of the postmaster and its children, in KB: the sum of their PSS (proportional set size, from
    /// smaps_rollup), so that shared buffers are counted once in all, not once per backend as a sum of RSS would.
    /// </summary>
    public static long? PostgresPssKb(string dataRoot)
    {
        if (PostmasterPid(dataRoot) is not { } postmaster) return null;
        long total = 0;
        foreach (var pid in ChildrenOf(postmaster).Prepend(postmaster))
        {
            try
            {
                total += PssKb(pid);
            }
            catch (IOException)
            {
            }
        }
        return total;
    }

    private static long PssKb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
            if (line.StartsWith("Pss:", StringComparison.Ordinal))
                return long.Parse(line["Pss:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return 0;
    }

    public static int? PostmasterPid(string dataRoot)
    {
        var file = Path.Combine(dataRoot, "postgres", "postmaster.pid");
        if (!File.Exists(file)) return null;
        var first = File.ReadLines(file).FirstOrDefault();
        return int.TryParse(first, CultureInfo.InvariantCulture, out var pid) && Directory.Exists($"/proc/{pid}") ? pid : null;
    }

    private static IEnumerable<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                if (int.Parse(Fields(pid)[1], CultureInfo.InvariantCulture) == parent) children.Add(pid);
            }
            catch (IOException)
            {
            }
        }
        return children;
    }

    /// <summary>The fields of /proc/pid/stat after the command name (which may hold spaces): [0] is field 3, the state.</summary>
    private static string[] Fields(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException(e.Message, e);
        }
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }
}
