namespace Escalation.Storage.Auth;

public static class Roles
{
    /// <summary>Configuration, API keys, and everything a responder may do.</summary>
    public const string Admin = "admin";

    /// <summary>Reading, and acknowledging, resolving and escalating incidents.</summary>
    public const string Responder = "responder";

    public static bool IsKnown(string? role) => role is Admin or Responder;
}
