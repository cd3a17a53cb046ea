using System.Net;
using Escalation.Testing;

namespace Escalation.ClusterTests;

/// <summary>
/// No base image can be pulled here, so the published output is run as the image runs it: as a user other than root,
/// from a directory it cannot write, with a temp directory of its own as the only writable place, and configuration
/// from the environment alone. It must start, serve, and stop cleanly on SIGTERM, writing nothing beside itself.
/// </summary>
public sealed class PublishedImageTests(ITestOutputHelper output)
{
    private const string AdminKey = "published-image-admin-key-31c7d9";

    [Fact, Trait("Category", "Cluster")]
    public async Task The_published_silo_runs_as_non_root_on_a_read_only_directory_with_configuration_from_the_environment()
    {
        var root = Directory.CreateTempSubdirectory("escalation-image-").FullName;
        var app = Path.Combine(root, "app");
        var publish = await Tool.Run(SiloProcess.DotnetHost(), ["publish", Path.Combine(SiloProcess.RepositoryRoot(), "src", "Escalation.Silo"),
            "-c", "Release", "-o", app, "-p:UseAppHost=false", "--nologo", "-v", "quiet"]);
        Assert.True(publish.Exit == 0, publish.Output + publish.Errors);
        var asRoot = Environment.UserName == "root";
        var tmp = Path.Combine(root, "tmp");
        Directory.CreateDirectory(tmp);
        // The image's app directory is read-only for the app user; only /tmp is its own. (Run as root, the silo runs
        // as nobody, for whom the directory is read-only whatever root may do.)
        Assert.Equal(0, (await Tool.Run("chmod", ["-R", "a-w", app])).Exit);
        if (asRoot)
        {
            Assert.Equal(0, (await Tool.Run("chown", ["65534:65534", tmp])).Exit);
            Assert.Equal(0, (await Tool.Run("chmod", ["755", root])).Exit);
        }
        var before = Directory.GetFileSystemEntries(app, "*", SearchOption.AllDirectories).Order().ToList();

        var ports = SiloProcess.FreePorts(2);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_HTTP_PORTS"] = ports[1].ToString(),
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["HOME"] = "/nonexistent",
            ["TMPDIR"] = tmp,
            ["ConnectionStrings__Escalation"] = await TestPostgres.CreateDatabase(),
            ["Escalation__Silo__Port"] = ports[0].ToString(),
            ["Escalation__Auth__BootstrapAdminKey"] = AdminKey,
            ["Escalation__Demo__Enabled"] = "false",
        };
        using var silo = SiloProcess.Start("image", Path.Combine(app, "Escalation.Silo.dll"), ports[1], environment, Path.Combine(root, "silo.log"),
            runAs: asRoot ? "65534" : null, onlyGiven: true);
        await silo.WaitUntilReady(TimeSpan.FromMinutes(2));

        if (asRoot) Assert.DoesNotContain(File.ReadLines($"/proc/{silo.Id}/status"), l => l.StartsWith("Uid:") && l.Split('\t')[1] == "0");
        await silo.Call(HttpMethod.Put, "/api/v1/users/someone", new { name = "Someone", time_zone = "Asia/Tokyo" }, AdminKey);
        Assert.Contains("escalation_database_up", await silo.Http.GetStringAsync("/metrics"));

        silo.Terminate();
        var exit = await silo.Exited(TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"exit {exit?.ToString() ?? "none"}:{Environment.NewLine}{silo.Tail(30)}");
        Assert.Equal(before, Directory.GetFileSystemEntries(app, "*", SearchOption.AllDirectories).Order().ToList());
        Assert.DoesNotContain(silo.Lines(), l => l.Contains("Unhandled exception", StringComparison.Ordinal));
        output.WriteLine($"Ran as {(asRoot ? "uid 65534 (nobody)" : Environment.UserName)}; it wrote {Directory.GetFileSystemEntries(tmp).Length} entries to its temp directory.");
        try { await Tool.Run("chmod", ["-R", "u+w", app]); Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
