using Escalation.Testing;

namespace Escalation.Tests.Api;

/// <summary>Everything that was accepted survives a restart of the service on the same PostgreSQL.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Incidents_and_their_escalation_survive_a_silo_restart()
    {
        string id, nextEscalation, routingKey;
        var first = await EscalationApp.StartAsync();
        await using (first)
        {
            routingKey = await OnCallApi.Configure(first.Client(), escalateAfter: "PT3S");
            await first.Client(null).PostJson("/v2/enqueue", OnCallApi.Trigger(routingKey, "restart-me")).Ok();
            var list = await first.Client().GetAsync("/api/v1/incidents").Ok();
            id = list["incidents"]![0]!.Str("id");
            var incident = await first.Client().GetAsync($"/api/v1/incidents/{id}").Ok();
            nextEscalation = incident["escalation"]!["next_escalation_at"]!.GetValue<string>();
        }

        await using var second = await first.RestartOnSameDatabase();
        var admin = second.Client();
        var after = await admin.GetAsync($"/api/v1/incidents/{id}").Ok();
        Assert.Equal("restart-me", after.Str("dedup_key"));

        // The deadline set before the restart still fires: level 2 is paged by the new silo.
        var escalated = await Eventually.Get(() => admin.GetAsync($"/api/v1/incidents/{id}").Ok(),
            i => i["escalation"]!["level"]!.GetValue<int>() >= 2, "the escalation after restart", TimeSpan.FromSeconds(60));
        Assert.Contains(escalated["timeline"]!.AsArray(), e => e!.Str("type") == "escalated");
        Assert.NotNull(nextEscalation);

        // The same dedup key still finds the same open incident.
        await second.Client(null).PostJson("/v2/enqueue", OnCallApi.Trigger(routingKey, "restart-me")).Ok();
        Assert.Equal(2, (await admin.GetAsync($"/api/v1/incidents/{id}").Ok())["alert_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_acknowledgement_timeout_fires_after_a_restart_without_anyone_reading_the_incident()
    {
        var first = await EscalationApp.StartAsync();
        string id;
        await using (first)
        {
            var admin = first.Client();
            await OnCallApi.Configure(admin);
            // One level: once its page is sent there is no escalation deadline left, only the acknowledgement's.
            await admin.PutJson("/api/v1/escalation-policies/solo", new
            {
                name = "Solo",
                levels = new[] { new { escalate_after = "PT15M", targets = new[] { new { type = "user", id = "oncall" } } } },
            }).Ok();
            await admin.PutJson("/api/v1/services/solo", new { name = "Solo", escalation_policy_id = "solo", acknowledgement_timeout = "PT4S" }).Ok();
            id = (await admin.PostJson("/api/v1/incidents", new { service_id = "solo", title = "ack then restart" }).Ok()).Str("id");
            await Eventually.Get(() => admin.GetAsync($"/api/v1/incidents/{id}/notifications").Ok(),
                p => p.AsArray().Count == 2 && p.AsArray().All(n => n!.Str("status") == "sent"), "the first pages (sms and email)");
            await admin.PostJson($"/api/v1/incidents/{id}/acknowledge", new { by = "oncall" }).Ok();
        }

        // Only the read model is watched: nothing activates the incident but its own durable reminder.
        await using var second = await first.RestartOnSameDatabase();
        var list = await Eventually.Get(() => second.Client().GetAsync("/api/v1/incidents?limit=100").Ok(),
            l => l["incidents"]!.AsArray().Any(i => i!.Str("id") == id && i!.Str("status") == "triggered"),
            "the re-trigger after the restart", TimeSpan.FromSeconds(90));
        Assert.NotNull(list);
    }
}
