using Escalation.Storage.Auth;
using Microsoft.AspNetCore.Authorization;

namespace Escalation.Api.Auth;

public static class Policies
{
    public const string Admin = "admin";
    public const string Responder = "responder";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        options.AddPolicy(Responder, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.Responder));
    }
}
