using Escalation.Tests.Api;

namespace Escalation.Tests.Channels;

/// <summary>One person per level, each with their own addresses and rules, under ids no other test uses.</summary>
public sealed record Responder(string Id, string? SlackUserId = null, string? Phone = null, string? Email = null, object[]? Rules = null);

public static class ChannelSetup
{
    /// <summary>Configures users, a policy with one level per responder and a service; returns the service id.</summary>
    public static Task<string> Configure(HttpClient admin, string prefix, string escalateAfter, params Responder[] levels) =>
        Configure(admin, prefix, escalateAfter, slackChannel: null, levels);

    public static async Task<string> Configure(HttpClient admin, string prefix, string escalateAfter, string? slackChannel, params Responder[] levels)
    {
        foreach (var r in levels)
        {
            await admin.PutJson($"/api/v1/users/{r.Id}", new
            {
                name = r.Id,
                email = r.Email,
                phone = r.Phone,
                slack_user_id = r.SlackUserId,
                time_zone = "Asia/Tokyo",
                notification_rules = r.Rules,
            }).Ok();
        }
        await admin.PutJson($"/api/v1/escalation-policies/{prefix}", new
        {
            name = prefix,
            levels = levels.Select(r => new { escalate_after = escalateAfter, targets = new[] { new { type = "user", id = r.Id } } }).ToArray(),
        }).Ok();
        await admin.PutJson($"/api/v1/services/{prefix}", new { name = $"Service {prefix}", escalation_policy_id = prefix, slack_channel = slackChannel }).Ok();
        return prefix;
    }

    public static async Task<string> Trigger(HttpClient admin, string serviceId, string title, string severity = "critical") =>
        (await admin.PostJson("/api/v1/incidents", new { service_id = serviceId, title, severity }).Ok()).Str("id");

    public static object Rule(string channel, string after = "PT0S", string urgency = "any") => new { channel, after, urgency };
}
