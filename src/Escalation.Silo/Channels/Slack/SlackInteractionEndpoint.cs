using Escalation.Configuration;
using Escalation.Incidents;
using Escalation.Logging;
using Escalation.Storage.Configuration;
using Escalation.Storage.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Channels.Slack;

/// <summary>
/// <c>POST /webhooks/slack/interactions</c>: the Acknowledge and Resolve buttons. The request is trusted only with a
/// valid, fresh, unseen Slack signature; the Slack user must be one of ours, and acts as that user. Slack wants an
/// answer within three seconds: the grain call is quick, and messages to the person go through response_url.
/// </summary>
public static class SlackInteractionEndpoint
{
    private const int MaxBody = 64 * 1024;

    public static void MapSlackInteractions(this IEndpointRouteBuilder app) =>
        app.MapPost("/webhooks/slack/interactions", Handle).AllowAnonymous().WithTags("webhooks").DisableAntiforgery();

    private static async Task<IResult> Handle(HttpRequest request, IOptions<SlackOptions> options, SlackClient slack, WebhookReplays replays,
        ConfigurationStore users, IGrainFactory grains, TimeProvider clock, ILoggerFactory loggers)
    {
        if (options.Value.SigningSecret is not { Length: > 0 } secret)
            return WebhookProblems.NotConfigured("Slack", "Escalation:Channels:Slack:SigningSecret");
        var body = await WebhookBodies.ReadRaw(request, MaxBody);
        if (body is null) return WebhookProblems.TooLarge(MaxBody);

        var signature = request.Headers["X-Slack-Signature"].ToString();
        var check = SlackSignature.Verify(secret, request.Headers["X-Slack-Request-Timestamp"], signature, body, clock.GetUtcNow());
        if (check != SignatureCheck.Valid) return WebhookProblems.Unauthorized($"The Slack signature is {check.ToString().ToLowerInvariant()}.");
        if (!await replays.FirstSeen($"slack:{signature}", WebhookReplays.SlackWindow))
            return WebhookProblems.Unauthorized("This Slack request was seen before.");

        var interaction = SlackInteraction.Parse(body);
        if (interaction is null) return WebhookProblems.BadRequest("The body is not a Slack block_actions payload.");
        IncidentCommand? pressed = SlackActions.InteractionAction(interaction.ActionId) switch
        {
            "acknowledge" => IncidentCommand.Acknowledge,
            "resolve" => IncidentCommand.Resolve,
            _ => null,
        };
        if (pressed is not { } command) return Results.Ok();

        var log = loggers.CreateLogger("Escalation.Silo.Channels.Slack");
        var user = await users.FindUserBySlackId(interaction.SlackUserId);
        if (user is null)
        {
            log.LogInformation("slack.interaction unknown slack user {SlackUserId} pressed {Action}", LogText.Escape(interaction.SlackUserId), LogText.Escape(interaction.ActionId));
            Reply(slack, interaction, "Your Slack account is not linked to an Escalation user, so nothing was changed. " +
                "Ask an admin to set slack_user_id on your user.", log);
            return Results.Ok();
        }

        var result = await grains.Run(interaction.IncidentId, command, user.Id, "via Slack");
        log.LogInformation("slack.interaction user={UserId} incident={IncidentId} command={Command} outcome={Outcome}",
            user.Id, LogText.Escape(interaction.IncidentId), command, result.Outcome);
        Reply(slack, interaction, result.Outcome == CommandOutcome.Done
            ? $"{(command == IncidentCommand.Acknowledge ? "Acknowledged" : "Resolved")} incident {interaction.IncidentId}."
            : result.Message ?? "Nothing was changed.", log);
        return Results.Ok();
    }

    /// <summary>Told through response_url after the HTTP answer, so that Slack's three seconds are never spent on it.</summary>
    private static void Reply(SlackClient slack, SlackInteraction interaction, string text, ILogger log)
    {
        if (interaction.ResponseUrl is not { } url) return;
        _ = Task.Run(async () =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await slack.RespondEphemeral(url, text, timeout.Token);
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Could not answer a Slack interaction through its response_url");
            }
        });
    }
}
