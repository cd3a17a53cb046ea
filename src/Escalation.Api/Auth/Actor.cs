using System.Security.Claims;
using Escalation.Api.Http;
using Escalation.Storage.Auth;
using Microsoft.AspNetCore.Http;

namespace Escalation.Api.Auth;

/// <summary>
/// Whom an action taken with an API key is written down as. A key bound to a user is that user's credential: it
/// acts as them, and a request naming someone else is refused (403), as PagerDuty attributes a user token's
/// actions to its user. A key bound to nobody acts as itself (its name); only an admin key may name someone else,
/// for tools that act for people.
/// </summary>
public static class Actor
{
    /// <summary>The claim that carries the user a key is bound to.</summary>
    public const string UserIdClaim = "escalation:user_id";

    /// <summary>The user the key is bound to; null for a key bound to nobody.</summary>
    public static string? BoundUser(ClaimsPrincipal key) => key.FindFirstValue(UserIdClaim);

    /// <param name="key">the caller</param>
    /// <param name="named">whom the request names in <paramref name="field"/>, or null</param>
    /// <param name="field">the request's field that names the actor, for the problem</param>
    public static (string? Actor, IResult? Problem) Of(ClaimsPrincipal key, string? named, string field)
    {
        var itself = key.Identity?.Name ?? "api";
        if (BoundUser(key) is { } user)
            return named is null || named == user
                ? (user, null)
                : (null, Problems.Forbidden($"This API key acts as user '{user}': '{field}' may not name anyone else."));
        if (key.IsInRole(Roles.Admin) || named is null || named == itself) return (named ?? itself, null);
        return (null, Problems.Forbidden(
            $"A responder key acts as itself ('{itself}'); only an admin key may name someone else in '{field}'. " +
            "Create a key bound to the user (user_id) to act as them."));
    }
}
