using System.Net;
using Escalation.Testing;

namespace Escalation.ClusterTests;

/// <summary>
/// The service listens where the standard ASP.NET Core settings say, as a container sets them: each of the four ways,
/// on a real silo process. (Only with none of them does it take its default, http://127.0.0.1:5080.)
/// </summary>
public sealed class HostingAddressTests
{
    [Theory, Trait("Category", "Cluster")]
    [InlineData("ASPNETCORE_URLS", "http://127.0.0.1:{0}")]
    [InlineData("ASPNETCORE_HTTP_PORTS", "{0}")]
    [InlineData("Kestrel__Endpoints__Http__Url", "http://127.0.0.1:{0}")]
    [InlineData("Urls", "http://127.0.0.1:{0}")]
    public async Task The_service_listens_where_the_hosting_setting_says(string variable, string value)
    {
        var ports = SiloProcess.FreePorts(2);
        var logs = Directory.CreateTempSubdirectory("escalation-hosting-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Escalation"] = await TestPostgres.CreateDatabase(),
            ["Escalation__Silo__Port"] = ports[0].ToString(),
            ["Escalation__Demo__Enabled"] = "false",
            ["DOTNET_ENVIRONMENT"] = "Production",
            [variable] = string.Format(value, ports[1]),
        };
        using var silo = SiloProcess.Start("silo", SiloKillTests.SiloDll(), ports[1], environment, Path.Combine(logs, "silo.log"));
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            Assert.False(silo.HasExited, $"the silo exited:{Environment.NewLine}{silo.Tail(40)}");
            try
            {
                using var response = await silo.Http.GetAsync("/health/live");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                break;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
        Assert.Contains(silo.Lines(), l => l.Contains($":{ports[1]}") && l.Contains("Now listening on"));
    }
}
