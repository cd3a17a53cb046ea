using Escalation.Silo.Channels.SendGrid;
using Escalation.Silo.Channels.Slack;
using Escalation.Silo.Channels.Twilio;
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
