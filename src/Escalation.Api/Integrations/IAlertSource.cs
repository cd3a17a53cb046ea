using System.Text.Json;
using Escalation.Alerts;
using Escalation.Storage.Integrations;
using Microsoft.AspNetCore.Http;

namespace Escalation.Api.Integrations;

/// <summary>What a source got: the raw body (for signatures), its JSON, the headers, and the integration it came to.</summary>
public sealed record SourceRequest(Integration Integration, IHeaderDictionary Headers, byte[] Body, JsonElement Json, DateTimeOffset Now);

/// <summary>What a source made of a request.</summary>
public abstract record SourceResult
{
    /// <summary>The alerts the request holds, in order (a grouped Alertmanager notification holds several).</summary>
    public sealed record Alerts(IReadOnlyList<InboundAlert> Items) : SourceResult;

    /// <summary>Answered 400: each error names its field, such as <c>'alerts[1].fingerprint' is missing</c>.</summary>
    public sealed record Invalid(IReadOnlyList<string> Errors) : SourceResult
    {
        public static Invalid Of(string error) => new([error]);
    }

    /// <summary>Answered 401: the tool's signature is missing, forged or stale.</summary>
    public sealed record Unauthorized(string Reason) : SourceResult;

    /// <summary>Answered 200 with nothing done: a well-formed request that carries no alert (a Sentry installation event, say).</summary>
    public sealed record Ignored(string Reason) : SourceResult;
}

/// <summary>
/// One tool's payloads, read exactly as the tool sends them. Pure: no I/O, no clock but <see cref="SourceRequest.Now"/>.
/// The URL's own secret is checked before a source is asked; a source checks only the tool's signature.
/// </summary>
public interface IAlertSource
{
    /// <summary>The integration type it reads: alertmanager, grafana, sentry, cloud-monitoring, webhook.</summary>
    string Type { get; }

    /// <summary>Whether this type needs the tool's signing secret, may take one, or takes none.</summary>
    SigningSecretUse SigningSecret { get; }

    /// <summary>Errors in an integration's settings (the webhook mapping), each naming its field; empty when valid.</summary>
    IReadOnlyList<(string Field, string Error)> ValidateSettings(JsonElement? settings) => [];

    SourceResult Read(SourceRequest request);
}

public enum SigningSecretUse
{
    None,
    Optional,
    Required,
}
