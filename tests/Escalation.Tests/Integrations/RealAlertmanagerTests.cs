using System.Text.Json.Nodes;
using Escalation.Testing;
using Escalation.Tests.Api;

namespace Escalation.Tests.Integrations;

/// <summary>Prometheus Alertmanager 0.25 (Debian's package), started here, sends to an alertmanager integration.</summary>
public sealed class RealAlertmanagerTests
{
    [Fact]
    public async Task An_alert_posted_to_alertmanager_becomes_an_incident_and_its_resolve_resolves_it()
    {
        await using var app = await EscalationApp.StartOnRealPortAsync();
        var admin = app.Client();
        await OnCallApi.Configure(admin);
        var created = await admin.PostJson("/api/v1/services/api/integrations", new { type = "alertmanager", name = "prometheus" }).Ok();
        var url = new Uri(created.Str("url"));
        var secret = url.AbsolutePath.Split('/')[^1];
        // The URL without its secret: Alertmanager sends the secret as its bearer token.
        var webhook = new Uri(app.ListeningAt, $"/integrations/{created.Str("id")}").ToString();

        await using var alertmanager = await RealAlertmanager.Start(webhook, secret);
        var labels = new Dictionary<string, string> { ["alertname"] = "CheckoutDown", ["severity"] = "critical", ["instance"] = "checkout:8080" };
        var annotations = new Dictionary<string, string> { ["summary"] = "Checkout is down", ["runbook_url"] = "https://runbooks.example/checkout" };
        await alertmanager.PostAlert(labels, annotations);

        var incident = await Telling(alertmanager, Eventually.Get(() => FindByTitle(admin, "Checkout is down"), i => i is not null, "an incident from Alertmanager"));
        Assert.Equal("triggered", incident!.Str("status"));
        Assert.Equal("critical", incident!.Str("severity"));

        await alertmanager.PostAlert(labels, annotations, endsAt: DateTimeOffset.UtcNow.AddMinutes(-1));
        await Telling(alertmanager, Eventually.Get(() => admin.GetAsync($"/api/v1/incidents/{incident!.Str("id")}").Ok(),
            i => i.Str("status") == "resolved", "the incident resolved"));
    }

    /// <summary>A timeout says what Alertmanager logged meanwhile.</summary>
    private static async Task<T> Telling<T>(RealAlertmanager alertmanager, Task<T> wait)
    {
        try
        {
            return await wait;
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Alertmanager logged:\n{alertmanager.Output}", e);
        }
    }

    private static async Task<JsonNode?> FindByTitle(HttpClient admin, string title) =>
        (await admin.GetAsync("/api/v1/incidents?service_id=api&limit=100").Ok())["incidents"]!.AsArray().FirstOrDefault(i => i!.Str("title") == title);
}
