using System.Diagnostics;

namespace Escalation.Storage.Database;

/// <summary>Runs PostgreSQL's tools, as the <c>postgres</c> user when we are root: PostgreSQL refuses to run as root.</summary>
internal static class ProcessRunner
{
    public static bool RunningAsRoot => Environment.IsPrivilegedProcess;

    public static async Task<(int ExitCode, string Output)> Run(string file, IEnumerable<string> args, CancellationToken ct = default)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (RunningAsRoot)
        {
            info.FileName = "runuser";
            foreach (var a in (string[])["-u", "postgres", "--", file]) info.ArgumentList.Add(a);
        }
        else
        {
            info.FileName = file;
        }
        foreach (var a in args) info.ArgumentList.Add(a);

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    /// <summary>Gives a directory to the postgres user when we are root.</summary>
    public static void HandToPostgres(string directory)
    {
        if (!RunningAsRoot) return;
        using var chown = Process.Start("chown", ["-R", "postgres:postgres", directory]);
        chown.WaitForExit();
        if (chown.ExitCode != 0) throw new InvalidOperationException($"Could not give {directory} to the postgres user.");
    }
}
