using Escalation.Storage.Integrations;

namespace Escalation.Api.Integrations.Sources.Sentry;

/// <summary>
/// Sentry, in either of its two ways of posting alerts, told apart by the integration's client secret:
/// <list type="bullet">
/// <item>With a signing secret (the client secret of a Sentry internal integration), only the integration platform's
/// webhooks are taken: each must carry <c>Sentry-Hook-Resource</c> and a valid, fresh <c>Sentry-Hook-Signature</c>.</item>
/// <item>Without one, only the legacy WebHooks plugin's payload is taken, which Sentry does not sign: the URL's own
/// secret is its only credential.</item>
/// </list>
/// A request of the other way is refused (401) rather than read, so that leaving out the headers of a signed webhook
/// never gets round its signature.
/// </summary>
public sealed class SentrySource : IAlertSource
{
    public const string Client = "sentry";
    public const string ResourceHeader = "Sentry-Hook-Resource";

    public string Type => "sentry";

    public SigningSecretUse SigningSecret => SigningSecretUse.Optional;

    public SourceResult Read(SourceRequest request)
    {
        var resource = request.Headers[ResourceHeader].FirstOrDefault();
        var secret = request.Integration.SigningSecret;
        if (string.IsNullOrEmpty(resource))
            return string.IsNullOrEmpty(secret)
                ? LegacyWebhook.Read(request.Json)
                : new SourceResult.Unauthorized(
                    $"{ResourceHeader} and Sentry-Hook-Signature are missing: this integration has a client secret, so it takes only signed integration-platform webhooks");
        if (string.IsNullOrEmpty(secret))
            return new SourceResult.Unauthorized(
                "this integration has no client secret to verify Sentry-Hook-Signature with: set the internal integration's client secret as its signing secret");

        if (HookSignature.Verify(request, secret) is { } failure) return new SourceResult.Unauthorized(failure);

        return resource switch
        {
            "event_alert" => IssueAlertWebhook.Read(request.Json),
            "issue" => IssueWebhook.Read(request.Json),
            _ => new SourceResult.Ignored($"Sentry resource '{resource}' carries no alert"),
        };
    }
}
