using System.Security.Cryptography;

namespace Escalation.Storage.Database;

/// <summary>
/// The password of the embedded PostgreSQL's <c>postgres</c> user: generated once, kept in a file only its owner can
/// read or write (mode 0600) in the data directory, next to the cluster it opens.
/// </summary>
public static class EmbeddedPassword
{
    public const string FileName = "postgres.password";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string PathIn(string root) => Path.Combine(root, FileName);

    /// <summary>The stored password, or null when there is no file.</summary>
    public static string? Read(string root)
    {
        var path = PathIn(root);
        if (!File.Exists(path)) return null;
        KeepPrivate(path);
        return File.ReadAllText(path).Trim();
    }

    /// <summary>The stored password, made and stored first when there is none; another process may make it first.</summary>
    public static string ReadOrCreate(string root)
    {
        if (Read(root) is { Length: > 0 } stored) return stored;
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        // Written aside and moved into place, so that another process never reads it half-written.
        var draft = $"{PathIn(root)}.{Guid.NewGuid():N}";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        using (var file = new StreamWriter(draft, options))
            file.Write(password + "\n"); // initdb --pwfile reads the first line.
        try
        {
            File.Move(draft, PathIn(root), overwrite: false);
            return password;
        }
        catch (IOException) when (File.Exists(PathIn(root)))
        {
            File.Delete(draft);
            return Read(root)!;
        }
    }

    /// <summary>A file copied in or restored from a backup may have come with wider permissions.</summary>
    private static void KeepPrivate(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        if (File.GetUnixFileMode(path) != OwnerOnly) File.SetUnixFileMode(path, OwnerOnly);
    }
}
