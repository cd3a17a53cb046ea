namespace Escalation.Tests.Api;

/// <summary>Sets up an on-call configuration through the API, as an admin would.</summary>
public static class OnCallApi
{
    public static async Task<string> Configure(HttpClient admin, string escalateAfter = "PT15M", string? ackTimeout = null)
    {
        foreach (var id in (string[])["oncall", "b1", "boss"])
            await admin.PutJson($"/api/v1/users/{id}", new { name = id, email = $"{id}@example.com", phone = "+819012345678", time_zone = "Asia/Tokyo" }).Ok();
        await admin.PutJson("/api/v1/teams/team-backend", new { name = "Backend", members = new[] { "b1" } }).Ok();
        await admin.PutJson("/api/v1/teams/leadership", new { name = "Leadership", members = new[] { "boss" } }).Ok();
        await admin.PutJson("/api/v1/escalation-policies/default", new
        {
            name = "Default",
            levels = new object[]
            {
                new { escalate_after = escalateAfter, targets = new[] { new { type = "user", id = "oncall" } } },
                new { escalate_after = escalateAfter, targets = new[] { new { type = "team", id = "team-backend" } } },
                new { escalate_after = escalateAfter, targets = new[] { new { type = "team", id = "leadership" } } },
            },
        }).Ok();
        var service = await admin.PutJson("/api/v1/services/api", new { name = "API", escalation_policy_id = "default", acknowledgement_timeout = ackTimeout }).Ok();
        return service.Str("integration_key");
    }

    public static object Trigger(string routingKey, string dedupKey, string summary = "Checkout is failing") => new
    {
        routing_key = routingKey,
        event_action = "trigger",
        dedup_key = dedupKey,
        payload = new { summary, source = "prometheus", severity = "critical", custom_details = new { region = "ap-northeast-1" } },
        links = new[] { new { href = "https://grafana.example.com/d/1", text = "Dashboard" } },
    };
}
