using System.Security.Claims;
using System.Text.Encodings.Web;
using Escalation.Api.Http;
using Escalation.Storage.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Api.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;api key&gt;</c> and answers 401/403 as problem+json, or 429 when the
/// caller's address has tried too many unknown keys (<see cref="FailedAuthentications"/>).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys,
    FailedAuthentications failures,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || Context.GetEndpoint()?.Metadata.GetMetadata<OwnCredentials>() is not null)
            return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <api key>'.");

        var check = await failures.Check(Context, "api-key", header["Bearer ".Length..].Trim(), keys.Find);
        if (check.Throttled) return AuthenticateResult.Fail(new ThrottledException(check.RetryAfter!.Value));
        if (check.Found is not { } key) return AuthenticateResult.Fail("The API key is not valid.");

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, key.Id), new Claim(ClaimTypes.Name, key.Name), new Claim(ClaimTypes.Role, key.Role)],
            SchemeName);
        if (key.UserId is not null) identity.AddClaim(new Claim(Actor.UserIdClaim, key.UserId));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        if (result.Failure is ThrottledException throttled)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = TooManyRequests.Seconds(throttled.RetryAfter);
            await Write(TooManyRequests.Title, throttled.Message);
            return;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Write("Authentication required.",
            result.Failure?.Message ?? "Send an API key as 'Authorization: Bearer <api key>'.");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var role = Context.User.FindFirstValue(ClaimTypes.Role);
        await Write("Forbidden.", $"An API key with role '{role}' may not do this; it needs role '{Roles.Admin}'.");
    }

    /// <summary>The caller's address tried too many unknown credentials: nothing was looked up.</summary>
    private sealed class ThrottledException(TimeSpan retryAfter)
        : Exception("Too many unknown credentials came from this address: try again later.")
    {
        public TimeSpan RetryAfter { get; } = retryAfter;
    }

    private Task Write(string title, string detail) => problems.WriteAsync(new ProblemDetailsContext
    {
        HttpContext = Context,
        ProblemDetails = { Title = title, Detail = detail, Status = Response.StatusCode },
    }).AsTask();
}
