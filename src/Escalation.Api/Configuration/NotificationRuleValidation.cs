using Escalation.Api.Http;
using Escalation.Json;
using Escalation.Notifications;
using Microsoft.AspNetCore.Http;

namespace Escalation.Api.Configuration;

/// <summary>A user's notification rules: which channel, how long after being paged, for which urgency.</summary>
public static class NotificationRuleValidation
{
    public const int MaxRules = 20;
    private static readonly TimeSpan LongestDelay = TimeSpan.FromHours(24);

    public static IReadOnlyList<NotificationRule> Read(Validator v, List<NotificationRuleBody?>? bodies)
    {
        if (bodies is null) return [];
        if (bodies.Count > MaxRules) v.Add("notification_rules", $"'notification_rules' may hold at most {MaxRules} rules.");
        var rules = new List<NotificationRule>();
        for (var i = 0; i < Math.Min(bodies.Count, MaxRules); i++)
        {
            var field = $"notification_rules[{i}]";
            if (bodies[i] is not { } body)
            {
                v.Add(field, $"'{field}' must be an object with channel, after and urgency.");
                continue;
            }
            var channel = body.Channel;
            if (channel is null || !ChannelNames.IsContactChannel(channel))
                v.Add($"{field}.channel", $"'{field}.channel' must be slack, sms or email.");
            var after = TimeSpan.Zero;
            if (body.After is not null && !(IsoDuration.TryParse(body.After, out after) && after >= TimeSpan.Zero && after <= LongestDelay))
                v.Add($"{field}.after", $"'{field}.after' must be an ISO-8601 duration from PT0S to PT24H, such as \"PT5M\".");
            var urgency = (body.Urgency ?? "any") switch
            {
                "any" => RuleUrgency.Any,
                "high" => RuleUrgency.High,
                "low" => (RuleUrgency?)RuleUrgency.Low,
                _ => null,
            };
            if (urgency is null) v.Add($"{field}.urgency", $"'{field}.urgency' must be high, low or any.");
            if (channel is not null && ChannelNames.IsContactChannel(channel) && urgency is { } u) rules.Add(new NotificationRule(channel, after, u));
        }
        return rules;
    }

    public static IResult NoAddress(IReadOnlyList<string> channels) => TypedResults.Problem(
        $"The notification rules use {string.Join(", ", channels)}, but the user has no address there: " +
        "set slack_user_id for slack, phone for sms and email for email.",
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "A notification rule names a channel the user cannot be reached on.",
        extensions: new Dictionary<string, object?> { ["channels"] = channels });
}
