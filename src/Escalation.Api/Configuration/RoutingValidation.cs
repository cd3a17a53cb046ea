using System.Text.RegularExpressions;
using Escalation.Api.Http;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Routing;

namespace Escalation.Api.Configuration;

public sealed record PriorityRouteBody(RouteAction? Action, Urgency? Urgency, bool? PostToChannel, string? DiscordChannel = null);

public sealed record ServiceRoutingBody(PriorityRouteBody? P1, PriorityRouteBody? P2, PriorityRouteBody? P3, PriorityRouteBody? P4);

public sealed record RuleConditionBody(string? Field, RuleOperator? Operator, string? Value, bool? Negate);

public sealed record EventRuleBody(string? Name, List<RuleConditionBody?>? Conditions, RuleActions? Actions);

/// <summary>A service's routing per priority and its event rules, read from the body with every error named by its field.</summary>
public static partial class RoutingValidation
{
    public const int MaxRules = 100;
    public const int MaxConditions = 20;

    public static ServiceRouting? Routing(Validator v, ServiceRoutingBody? body, string? slackChannel)
    {
        if (body is null) return null;
        return new ServiceRouting(
            Route(v, "routing.p1", body.P1, slackChannel),
            Route(v, "routing.p2", body.P2, slackChannel),
            Route(v, "routing.p3", body.P3, slackChannel),
            Route(v, "routing.p4", body.P4, slackChannel));
    }

    private static PriorityRoute? Route(Validator v, string field, PriorityRouteBody? body, string? slackChannel)
    {
        if (body is null) return null;
        if (body.Action is not { } action)
        {
            v.Add($"{field}.action", $"'{field}.action' is required: page, post_only or record_only.");
            return null;
        }
        if (action != RouteAction.Page && (body.Urgency is not null || body.PostToChannel is not null))
            v.Add(field, $"'{field}': urgency and post_to_channel go with action page only.");
        var posts = action == RouteAction.PostOnly || body.PostToChannel == true;
        if (body.DiscordChannel is { } discord)
        {
            // A name the settings do not have yet is accepted: the post then fails, and the timeline says so.
            if (!DiscordChannelPattern().IsMatch(discord))
                v.Add($"{field}.discord_channel", $"'{field}.discord_channel' must be the name of a configured Discord channel (Escalation:Discord:Channels:NAME): 1 to 64 letters, digits, '-' or '_'.");
            else if (!posts)
                v.Add($"{field}.discord_channel", $"'{field}.discord_channel' goes with a route that posts: action post_only, or page with post_to_channel.");
        }
        if (posts && slackChannel is null && body.DiscordChannel is null)
            v.Add(field, $"'{field}' posts to the service's channel: set 'slack_channel' or '{field}.discord_channel' as well.");
        return new PriorityRoute(action, body.Urgency ?? (action == RouteAction.Page ? Urgency.High : Urgency.Low), body.PostToChannel ?? false,
            body.DiscordChannel);
    }

    /// <summary>The rules, in order; <paramref name="serviceExists"/> is asked about every route_to after the rest is valid.</summary>
    public static List<EventRule>? Rules(Validator v, List<EventRuleBody?>? bodies, string field = "event_rules")
    {
        if (bodies is null) return null;
        if (bodies.Count > MaxRules) v.Add(field, $"'{field}' may hold at most {MaxRules} rules.");
        var rules = new List<EventRule>();
        for (var i = 0; i < Math.Min(bodies.Count, MaxRules); i++)
        {
            var at = $"{field}[{i}]";
            if (bodies[i] is not { } body)
            {
                v.Add(at, $"'{at}' must be an object with conditions and actions.");
                continue;
            }
            v.Text($"{at}.name", body.Name, 256);
            var conditions = Conditions(v, at, body.Conditions);
            var actions = body.Actions ?? new RuleActions();
            if (actions == new RuleActions())
                v.Add($"{at}.actions", $"'{at}.actions' must do something: priority, severity, urgency, route_to, runbook_url or suppress.");
            if (actions.RouteTo is { } routeTo) v.Id($"{at}.actions.route_to", routeTo);
            if (actions.RunbookUrl is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && url.Length <= 2048))
                v.Add($"{at}.actions.runbook_url", $"'{at}.actions.runbook_url' must be an http or https URL.");
            rules.Add(new EventRule(body.Name, conditions, actions));
        }
        return rules;
    }

    private static List<RuleCondition> Conditions(Validator v, string at, List<RuleConditionBody?>? bodies)
    {
        var conditions = new List<RuleCondition>();
        if (bodies is null) return conditions; // no conditions: the rule matches every alert
        if (bodies.Count > MaxConditions) v.Add($"{at}.conditions", $"'{at}.conditions' may hold at most {MaxConditions} conditions.");
        for (var j = 0; j < Math.Min(bodies.Count, MaxConditions); j++)
        {
            var field = $"{at}.conditions[{j}]";
            if (bodies[j] is not { } c)
            {
                v.Add(field, $"'{field}' must be an object with field, operator and value.");
                continue;
            }
            if (c.Field is null || !EventRuleEvaluator.IsKnownField(c.Field) || c.Field.Length > 256)
                v.Add($"{field}.field", $"'{field}.field' must be one of {string.Join(", ", EventRuleEvaluator.PlainFields)}, labels.NAME or custom_details.PATH.");
            if (c.Operator is not { } op)
            {
                v.Add($"{field}.operator", $"'{field}.operator' is required: equals, contains, regex or exists.");
                continue;
            }
            if (op == RuleOperator.Exists && c.Value is not null)
                v.Add($"{field}.value", $"'{field}.value' goes with equals, contains or regex, not exists.");
            if (op != RuleOperator.Exists && string.IsNullOrEmpty(c.Value))
                v.Add($"{field}.value", $"'{field}.value' is required for {op.ToString().ToLowerInvariant()}.");
            else if (c.Value is { Length: > 1024 })
                v.Add($"{field}.value", $"'{field}.value' must be at most 1024 characters.");
            else if (op == RuleOperator.Regex && !IsRegex(c.Value!))
                v.Add($"{field}.value", $"'{field}.value' is not a valid regular expression.");
            conditions.Add(new RuleCondition(c.Field ?? "", op, c.Value, c.Negate ?? false));
        }
        return conditions;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex DiscordChannelPattern();

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, EventRuleEvaluator.RegexTimeout);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
