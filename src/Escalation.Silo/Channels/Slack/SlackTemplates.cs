using System.Text.RegularExpressions;

namespace Escalation.Silo.Channels.Slack;

/// <summary>
/// Channel-post templates: mrkdwn with <c>{placeholder}</c>s. The shipped defaults follow the teams' fixed format;
/// an operator's own template may use the same placeholders in any order.
/// </summary>
public static partial class SlackTemplates
{
    /// <summary>Placeholders: {priority} {kind} {title} {entry_point} {impact} {signals} {first_action} {incident_url} {service}.</summary>
    public static string DefaultDeclaration(string? locale) => SlackPhrases.For(locale).DeclarationTemplate.ReplaceLineEndings("\n");

    /// <summary>Placeholders: {priority} {title} {what_was_done} {how_confirmed} {follow_ups} {resolved_by} {incident_url}.</summary>
    public static string DefaultRecovery(string? locale) => SlackPhrases.For(locale).RecoveryTemplate.ReplaceLineEndings("\n");

    /// <summary>
    /// Fills each <c>{name}</c> that has a value; an unknown placeholder is left as it is. One pass, so a value
    /// that itself contains <c>{title}</c> is not expanded again.
    /// </summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(template, match => values.TryGetValue(match.Groups[1].Value, out var value) ? value : match.Value);

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();
}
