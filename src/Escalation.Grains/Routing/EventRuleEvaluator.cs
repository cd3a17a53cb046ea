using System.Text.Json;
using System.Text.RegularExpressions;
using Escalation.Alerts;

namespace Escalation.Routing;

/// <summary>The first of a service's rules that matches an alert, if any, with its place in the list.</summary>
public sealed record RuleMatch(int Index, EventRule Rule, string ServiceId = "");

/// <summary>
/// Evaluates event rules on an alert: in order, the first rule whose conditions all hold. One evaluator for
/// ingestion and for the rules test endpoint, so that a test answers exactly what an alert would meet.
/// </summary>
public static class EventRuleEvaluator
{
    /// <summary>A regex gets this long on one value; a pattern that takes longer does not match (and is logged by no one: it is the rule's author's to fix).</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(50);

    public const string LabelsPrefix = "labels.";
    public const string DetailsPrefix = "custom_details.";
    public static readonly IReadOnlyList<string> PlainFields = ["source", "summary", "severity", "client", "component", "group", "class", "links"];

    public static RuleMatch? FirstMatch(IReadOnlyList<EventRule>? rules, InboundAlert alert)
    {
        if (rules is null) return null;
        JsonElement? details = null;
        for (var i = 0; i < rules.Count; i++)
            if (rules[i].Conditions.All(c => Holds(c, alert, ref details))) return new RuleMatch(i, rules[i]);
        return null;
    }

    /// <summary>Whether a field name is one a condition may test.</summary>
    public static bool IsKnownField(string field) =>
        PlainFields.Contains(field)
        || (field.StartsWith(LabelsPrefix, StringComparison.Ordinal) && field.Length > LabelsPrefix.Length)
        || (field.StartsWith(DetailsPrefix, StringComparison.Ordinal) && field.Length > DetailsPrefix.Length);

    private static bool Holds(RuleCondition condition, InboundAlert alert, ref JsonElement? details)
    {
        var values = Values(condition.Field, alert, ref details);
        var holds = condition.Operator switch
        {
            RuleOperator.Exists => values.Count > 0,
            RuleOperator.Equals => values.Any(v => string.Equals(v, condition.Value, StringComparison.OrdinalIgnoreCase)),
            RuleOperator.Contains => condition.Value is { } part && values.Any(v => v.Contains(part, StringComparison.OrdinalIgnoreCase)),
            RuleOperator.Regex => condition.Value is { } pattern && values.Any(v => Matches(pattern, v)),
            _ => false,
        };
        return holds != condition.Negate;
    }

    private static bool Matches(string pattern, string value)
    {
        try
        {
            return Regex.IsMatch(value, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static IReadOnlyList<string> Values(string field, InboundAlert alert, ref JsonElement? details)
    {
        if (field.StartsWith(LabelsPrefix, StringComparison.Ordinal))
            return alert.LabelsOrEmpty.TryGetValue(field[LabelsPrefix.Length..], out var label) ? [label] : [];
        if (field.StartsWith(DetailsPrefix, StringComparison.Ordinal))
        {
            details ??= ParseDetails(alert.DetailsJson);
            return Detail(details.Value, field[DetailsPrefix.Length..]) is { } detail ? [detail] : [];
        }
        if (field == "links") return [.. alert.LinksOrEmpty.Select(l => l.Href)];
        string? one = field switch
        {
            "source" => alert.Source,
            "summary" => alert.Summary,
            "severity" => alert.Severity?.ToString().ToLowerInvariant(),
            "client" => alert.Client,
            "component" => alert.Component,
            "group" => alert.Group,
            "class" => alert.Class,
            _ => null,
        };
        return string.IsNullOrEmpty(one) ? [] : [one];
    }

    private static JsonElement ParseDetails(string? json)
    {
        if (json is null) return default;
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>A dotted path into the custom details: a string as itself, any other value as its JSON text.</summary>
    private static string? Detail(JsonElement root, string path)
    {
        var at = root;
        foreach (var name in path.Split('.'))
        {
            if (at.ValueKind != JsonValueKind.Object || !at.TryGetProperty(name, out at)) return null;
        }
        return at.ValueKind switch
        {
            JsonValueKind.String => at.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => at.GetRawText(),
        };
    }
}
