using Escalation.Configuration;
using Escalation.Silo.Notifications;
using Escalation.Storage.Configuration;
using Escalation.Storage.Sms;
using Escalation.Storage.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Channels.Twilio;

/// <summary>
/// Twilio's webhooks: <c>/webhooks/twilio/sms</c> for replies ("1a", "aa", STOP) and <c>/webhooks/twilio/status</c>
/// for delivery reports. Both are trusted only with a valid X-Twilio-Signature over the URL Twilio was given.
/// </summary>
public static class TwilioWebhookEndpoints
{
    private const int MaxBody = 16 * 1024;

    public static void MapTwilioWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/twilio/sms", Reply).AllowAnonymous().WithTags("webhooks").DisableAntiforgery();
        app.MapPost("/webhooks/twilio/status", Status).AllowAnonymous().WithTags("webhooks").DisableAntiforgery();
    }

    private static async Task<IResult> Reply(HttpRequest request, IOptions<TwilioOptions> options, PublicUrls urls, WebhookReplays replays,
        ConfigurationStore users, SmsReplyCodes codes, SmsOptOuts optOuts, IGrainFactory grains, TimeProvider clock, ILoggerFactory loggers)
    {
        var (form, problem) = await Verified(request, options.Value, urls.TwilioSms);
        if (problem is not null) return problem;
        var from = Field(form!, "From");
        if (from is null) return WebhookProblems.BadRequest("The reply has no From number.");
        if (Field(form!, "MessageSid") is { } sid && !await replays.FirstSeen($"twilio-sms:{sid}", WebhookReplays.TwilioWindow))
            return Xml(TwiML.Empty());

        var log = loggers.CreateLogger("Escalation.Silo.Channels.Twilio");
        var command = SmsReply.Parse(Field(form!, "Body"));
        var user = await users.FindUserByPhone(from);
        log.LogInformation("sms.reply user={UserId} command={Command}", user?.Id ?? "(unknown number)", command);
        var answer = await new SmsReplyHandler(codes, optOuts, users, grains, clock).Answer(from, user, command);
        return Xml(TwiML.Message(answer));
    }

    private static async Task<IResult> Status(HttpRequest request, IOptions<TwilioOptions> options, PublicUrls urls,
        IDeliveryReceiver receiver)
    {
        var (form, problem) = await Verified(request, options.Value, urls.TwilioStatus + request.QueryString);
        if (problem is not null) return problem;
        if (Field(form!, "MessageSid") is not { } sid || Field(form!, "MessageStatus") is not { } status)
            return WebhookProblems.BadRequest("A status callback needs MessageSid and MessageStatus.");

        var failed = status is "undelivered" or "failed";
        var failure = failed ? $"twilio {Field(form!, "ErrorCode") ?? "?"}: message {status}" : null;
        var sender = request.Query["n"].ToString() is { Length: > 0 } n ? n : null;
        await receiver.ProviderStatus(sid, sender, status, failure);
        return Results.Ok();
    }

    private static async Task<(IReadOnlyList<KeyValuePair<string, string>>?, IResult?)> Verified(HttpRequest request, TwilioOptions options, string publicUrl)
    {
        if (options.AuthToken is not { Length: > 0 } token)
            return (null, WebhookProblems.NotConfigured("Twilio", "Escalation:Channels:Twilio:AuthToken"));
        var body = await WebhookBodies.ReadRaw(request, MaxBody);
        if (body is null) return (null, WebhookProblems.TooLarge(MaxBody));
        var form = WebhookBodies.Form(body);
        // Twilio signs the URL it was given, which behind a proxy is not the one this server sees.
        if (!TwilioSignature.Verify(token, publicUrl, form, request.Headers["X-Twilio-Signature"]))
            return (null, WebhookProblems.Unauthorized("The X-Twilio-Signature does not match this request."));
        var texts = form.SelectMany(p => new[] { p.Key, p.Value }).Concat(request.Query.SelectMany(q => q.Value));
        return WebhookBodies.HoldNul(texts)
            ? (null, WebhookProblems.BadRequest("The request holds a NUL character (%00), which no Twilio field has."))
            : (form, null);
    }

    private static string? Field(IReadOnlyList<KeyValuePair<string, string>> form, string name) =>
        form.FirstOrDefault(p => p.Key == name).Value is { Length: > 0 } value ? value : null;

    private static IResult Xml(string twiml) => Results.Content(twiml, TwiML.ContentType);
}
