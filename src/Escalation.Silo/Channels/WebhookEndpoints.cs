using Escalation.Silo.Channels.Email;
using Escalation.Silo.Channels.Slack;
using Escalation.Silo.Channels.Sms;
using Microsoft.AspNetCore.Routing;

namespace Escalation.Silo.Channels;

public static class WebhookEndpoints
{
    /// <summary>What the providers and responders call back: Slack buttons, SMS replies and status, email links.</summary>
    public static IEndpointRouteBuilder MapChannelWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapSlackInteractions();
        app.MapTwilioWebhooks();
        app.MapActionLinks();
        return app;
    }
}
