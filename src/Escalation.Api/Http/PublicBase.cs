using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Api.Http;

/// <summary>The service's address as tools reach it: <c>Escalation:PublicBaseUrl</c>, else the address the request came to.</summary>
public static class PublicBase
{
    public static string Of(HttpRequest request)
    {
        var configured = request.HttpContext.RequestServices.GetRequiredService<IConfiguration>()["Escalation:PublicBaseUrl"];
        return string.IsNullOrEmpty(configured) ? $"{request.Scheme}://{request.Host}{request.PathBase}" : configured.TrimEnd('/');
    }
}
