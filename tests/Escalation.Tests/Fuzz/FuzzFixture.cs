using Escalation.Tests.Api;
using Escalation.Tests.Channels;

namespace Escalation.Tests.Fuzz;

/// <summary>
/// The whole service with every provider configured (so the webhooks are live) and a small on-call setup, so that
/// generated requests can name things that exist as well as things that cannot.
/// </summary>
public sealed class FuzzFixture : IAsyncLifetime
{
    public const string SlackUserId = "U0FUZZ0001";

    public ProviderFakes Fakes { get; } = new();
    public EscalationApp App { get; private set; } = null!;
    public string RoutingKey { get; private set; } = "";
    public string IncidentId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        App = await EscalationApp.StartAsync(settings: Fakes.Settings());
        var admin = App.Client();
        RoutingKey = await OnCallApi.Configure(admin);
        await admin.PutJson("/api/v1/users/slacker", new { name = "Slacker", slack_user_id = SlackUserId, time_zone = "Asia/Tokyo" }).Ok();
        await admin.PutJson("/api/v1/rotations/primary", new
        {
            name = "Primary", time_zone = "Asia/Tokyo", type = "weekly", shift_length = 1,
            start = "2026-01-05T10:00:00+09:00", participants = new[] { "oncall", "b1" },
        }).Ok();
        var incident = await admin.PostJson("/api/v1/incidents", new { service_id = "api", title = "Fuzz target", dedup_key = "fuzz" }).Ok();
        IncidentId = incident.Str("id");
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        Fakes.Dispose();
    }
}
