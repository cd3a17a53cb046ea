using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;

namespace Escalation.Silo.Channels;

/// <summary>
/// The service's address as people and providers reach it: links in pages, webhook URLs that Twilio signs.
/// <c>Escalation:PublicBaseUrl</c> when set; otherwise the address the server listens on, which is right only on a laptop.
/// </summary>
public sealed class PublicUrls(IConfiguration configuration, IServiceProvider services)
{
    public const string Setting = "Escalation:PublicBaseUrl";

    public string Base
    {
        get
        {
            var configured = configuration[Setting];
            if (!string.IsNullOrWhiteSpace(configured)) return configured.TrimEnd('/');
            var listening = (services.GetService(typeof(IServer)) as IServer)?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            return (listening ?? "http://localhost").Replace("://0.0.0.0", "://localhost").Replace("://[::]", "://localhost").Replace("://+", "://localhost").TrimEnd('/');
        }
    }

    public string Incident(string incidentId) => $"{Base}/api/v1/incidents/{Uri.EscapeDataString(incidentId)}";

    public string TwilioSms => $"{Base}/webhooks/twilio/sms";

    public string TwilioStatus => $"{Base}/webhooks/twilio/status";

    /// <summary>The status callback for one SMS, naming the notification that sent it: a callback may come before the send is recorded.</summary>
    public Uri TwilioStatusFor(string notificationId) => new($"{TwilioStatus}?n={Uri.EscapeDataString(notificationId)}");

    public string ActionLink(string token) => $"{Base}/links/{token}";
}
