using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Escalation.Silo.Hosting;

/// <summary>
/// Where the service listens: wherever the standard ASP.NET Core settings say (<c>ASPNETCORE_URLS</c>,
/// <c>ASPNETCORE_HTTP_PORTS</c>, <c>Kestrel__Endpoints__*</c>, <c>Urls</c>), as in any ASP.NET Core app, and
/// <see cref="Default"/> only when none is given. The default is not in appsettings.json: there it would win over the
/// <c>ASPNETCORE_</c> variables, which the host reads first.
/// </summary>
public static class ListenAddress
{
    public const string Default = "http://127.0.0.1:5080";

    public static bool IsGiven(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["urls"])
        || !string.IsNullOrWhiteSpace(configuration["http_ports"])
        || !string.IsNullOrWhiteSpace(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();

    public static WebApplicationBuilder UseDefaultListenAddress(this WebApplicationBuilder builder)
    {
        if (!IsGiven(builder.Configuration)) builder.WebHost.UseUrls(Default);
        return builder;
    }
}
