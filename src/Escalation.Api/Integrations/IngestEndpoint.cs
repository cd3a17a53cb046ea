using System.Text;
using System.Text.Json;
using Escalation.Alerts;
using Escalation.Api.Alerts;
using Escalation.Api.Auth;
using Escalation.Api.Events;
using Escalation.Api.Http;
using Escalation.Configuration;
using Escalation.Json;
using Escalation.Storage.Configuration;
using Escalation.Storage.Integrations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Api.Integrations;

public sealed record IngestedAlert(string DedupKey, string Action);

public sealed record IngestAccepted(string Status, IReadOnlyList<IngestedAlert> Alerts);

public sealed record IngestIgnored(string Status, string Reason);

/// <summary>
/// <c>POST /integrations/{id}/{secret}</c>, or <c>POST /integrations/{id}</c> with the secret as
/// <c>Authorization: Bearer</c> or as the password of basic auth: where tools send alerts. The secret is checked
/// first (unknown ones throttled like routing keys), then the integration's source reads the body; every alert is
/// checked before any is taken in, and the 202 comes once all are durable.
/// </summary>
public static class IngestEndpoint
{
    public const int MaxBodyBytes = EventRequest.MaxBodyBytes;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void MapIntegrationIngest(this IEndpointRouteBuilder app)
    {
        app.MapPost("/integrations/{id}/{secret}", (string id, string secret, HttpContext context) => Ingest(context, id, secret))
            .WithTags("integrations").AllowAnonymous().CountedAs("integration");
        app.MapPost("/integrations/{id}", (string id, HttpContext context) => Ingest(context, id, SecretFromHeader(context.Request)))
            .WithTags("integrations").AllowAnonymous().WithMetadata(new OwnCredentials()).CountedAs("integration");
    }

    private static async Task<IResult> Ingest(HttpContext context, string id, string? secret)
    {
        var services = context.RequestServices;
        if (string.IsNullOrEmpty(secret)) return Refused("Send the integration's secret in its URL, or as 'Authorization: Bearer <secret>' or basic auth.");
        var check = await services.GetRequiredService<FailedAuthentications>()
            .Check(context, $"integration/{id}", secret, s => services.GetRequiredService<IntegrationStore>().Find(id, s));
        if (check.Throttled)
            return new TooManyRequests(check.RetryAfter!.Value, "Too many unknown integration secrets came from this address: try again later.");
        if (check.Found is not { } integration) return Refused("The integration or its secret is not valid.");
        IntakeMetering.NameSource(context, integration.Type);

        var (body, problem) = await ReadBody(context);
        if (problem is not null) return problem;
        string text;
        JsonDocument document;
        try
        {
            text = StrictUtf8.GetString(body!).TrimStart('\uFEFF');
            document = JsonDocument.Parse(text);
        }
        catch (DecoderFallbackException)
        {
            return Problems.BadRequest("The body is not valid UTF-8.");
        }
        catch (JsonException)
        {
            return Problems.BadRequest("The body is not valid JSON.");
        }
        using (document)
        {
            if (JsonText.HasNul(text)) return Problems.BadRequest(JsonText.NulMessage);
            if (JsonText.HasInvalidUnicode(document.RootElement)) return Problems.BadRequest(JsonText.InvalidUnicodeMessage);

            var config = services.GetRequiredService<ConfigurationStore>();
            if (await config.FindService(integration.ServiceId) is not { } service) return Refused("The integration or its secret is not valid.");
            if (services.GetRequiredService<AlertSources>().Find(integration.Type) is not { } source)
                return TypedResults.Problem($"This server cannot read '{integration.Type}' integrations.", statusCode: StatusCodes.Status501NotImplemented,
                    title: "Not implemented.");

            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var result = source.Read(new SourceRequest(integration, context.Request.Headers, body!, document.RootElement, now));
            switch (result)
            {
                case SourceResult.Invalid invalid:
                    return TypedResults.Problem(string.Join("; ", invalid.Errors), statusCode: StatusCodes.Status400BadRequest,
                        title: "The request is not valid.", extensions: new Dictionary<string, object?> { ["errors"] = invalid.Errors });
                case SourceResult.Unauthorized unauthorized:
                    return Refused(unauthorized.Reason);
                case SourceResult.Ignored ignored:
                    return Results.Json(new IngestIgnored("ignored", ignored.Reason), EscalationJson.Options, statusCode: StatusCodes.Status200OK);
                case SourceResult.Alerts alerts:
                    var intake = services.GetRequiredService<AlertIntake>();
                    var accepted = new List<IngestedAlert>();
                    foreach (var alert in alerts.Items)
                        accepted.Add(new IngestedAlert((await intake.Accept(service, alert)).DedupKey, ActionName(alert.Action)));
                    return Results.Json(new IngestAccepted("accepted", accepted), EscalationJson.Options, statusCode: StatusCodes.Status202Accepted);
                default:
                    throw new InvalidOperationException($"Unknown source result {result.GetType().Name}.");
            }
        }
    }

    /// <summary>The body's bytes (a signature is over them as sent), without a UTF-8 byte order mark; or why not.</summary>
    private static async Task<(byte[]? Body, IResult? Problem)> ReadBody(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;
        if (context.Request.ContentLength > MaxBodyBytes) return (null, Problems.TooLarge(MaxBodyBytes));
        byte[]? body;
        try
        {
            body = await RequestBody.ReadAtMost(context.Request.Body, MaxBodyBytes, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body = null;
        }
        if (body is null) return (null, Problems.TooLarge(MaxBodyBytes));
        if (body.Length == 0) return (null, Problems.BadRequest("A JSON body is required."));
        return (body, null);
    }

    /// <summary>The secret from <c>Authorization: Bearer &lt;secret&gt;</c>, or the password of <c>Basic</c> (any user name).</summary>
    public static string? SecretFromHeader(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (string.IsNullOrWhiteSpace(header)) return null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = pair.IndexOf(':');
            return colon < 0 ? null : pair[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string ActionName(AlertAction action) => action switch
    {
        AlertAction.Trigger => "trigger",
        AlertAction.Acknowledge => "acknowledge",
        _ => "resolve",
    };

    private static IResult Refused(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required.");
}
