namespace Escalation.Api.Http;

/// <summary><c>Escalation:Api</c>: limits of the HTTP API itself.</summary>
public sealed class ApiOptions
{
    public const string Section = "Escalation:Api";

    /// <summary>The largest <c>/api/v1</c> request body, in bytes; a larger one is a 413. 1 MiB unless set.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;
}
