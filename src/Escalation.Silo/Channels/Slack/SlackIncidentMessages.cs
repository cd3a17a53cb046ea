using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Escalation.Silo.Channels.Slack;

/// <summary>
/// Renders incidents as Slack messages (no I/O). User-provided text is escaped for mrkdwn; the links built here
/// are not. Buttons for acknowledging and resolving stay on a message while the incident is open.
/// </summary>
public static class SlackIncidentMessages
{
    private const int TitleMax = 250;
    private const int ValueMax = 1000;
    private const int LinksMax = 10;

    // Non-string custom details are shown as their JSON text; non-ASCII should read as itself, not as \uXXXX.
    private static readonly JsonSerializerOptions ReadableJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The responder's DM: they are being paged for this incident.</summary>
    /// <param name="locale">The service's locale: "ja" reads in Japanese, anything else in English.</param>
    public static SlackContent Page(SlackIncident incident, string? locale) => Card(incident, SlackPhrases.For(locale), paged: true);

    /// <summary>The post in a service's channel for a low-urgency incident: the same card, without paging anyone.</summary>
    public static SlackContent Plain(SlackIncident incident, string? locale) => Card(incident, SlackPhrases.For(locale), paged: false);

    /// <summary>A reminder in a direct message (a status update owed), with a link to the incident.</summary>
    public static SlackContent Reminder(SlackIncident incident, string text)
    {
        var line = $"{SlackMrkdwn.Escape(text)}\n{SlackMrkdwn.Link(incident.IncidentUrl, incident.Title)}";
        return new SlackContent(line, []);
    }

    /// <summary>The channel post declaring a high-urgency incident, in the teams' fixed format.</summary>
    /// <param name="template">An operator's template, or null for the shipped default in <paramref name="locale"/>.</param>
    public static SlackContent Declaration(SlackIncident incident, string locale, string? template)
    {
        var phrases = SlackPhrases.For(locale);
        var values = new Dictionary<string, string>
        {
            ["priority"] = incident.Priority,
            ["kind"] = Detail(incident, "kind") ?? Text(incident.Severity),
            ["title"] = Title(incident),
            ["entry_point"] = Text(incident.EntryPoint),
            ["impact"] = Detail(incident, "impact") ?? phrases.UnknownImpact,
            ["signals"] = Signals(incident),
            ["first_action"] = Detail(incident, "first_action") ?? phrases.DefaultFirstAction,
            ["incident_url"] = SlackMrkdwn.SafeHref(incident.IncidentUrl),
            ["service"] = Text(incident.ServiceName),
        };
        return ChannelPost(incident, phrases, OrDefault(template, phrases.DeclarationTemplate), phrases.DeclarationText, values);
    }

    /// <summary>The channel post when a declared incident has recovered, in the same format.</summary>
    /// <param name="template">An operator's template, or null for the shipped default in <paramref name="locale"/>.</param>
    public static SlackContent Recovery(SlackIncident incident, string locale, string? template)
    {
        var phrases = SlackPhrases.For(locale);
        var values = new Dictionary<string, string>
        {
            ["priority"] = incident.Priority,
            ["title"] = Title(incident),
            ["what_was_done"] = Told(incident.Recovery?.WhatWasDone) ?? Detail(incident, "what_was_done") ?? phrases.SeeTimeline,
            ["how_confirmed"] = Told(incident.Recovery?.HowConfirmed) ?? Detail(incident, "how_confirmed") ?? phrases.SeeTimeline,
            ["follow_ups"] = Told(incident.Recovery?.FollowUps) ?? Detail(incident, "follow_ups") ?? phrases.FollowUpsLater,
            ["resolved_by"] = string.IsNullOrWhiteSpace(incident.StatusBy) ? phrases.Unknown : Text(incident.StatusBy),
            ["incident_url"] = SlackMrkdwn.SafeHref(incident.IncidentUrl),
            ["postmortem_url"] = SlackMrkdwn.SafeHref($"{incident.IncidentUrl}/postmortem?locale={(locale == "ja" ? "ja" : "en")}"),
        };
        return ChannelPost(incident, phrases, OrDefault(template, phrases.RecoveryTemplate), phrases.RecoveryText, values);
    }

    private static SlackContent Card(SlackIncident incident, SlackPhrases phrases, bool paged)
    {
        var paging = paged ? $"*{phrases.YouArePaged}* " : "";
        var headline = $"{Emoji(incident)} {paging}*{SlackMrkdwn.Link(incident.IncidentUrl, Short(incident.Title, TitleMax))}*";
        var status = StatusName(incident, phrases);
        var blocks = new JsonArray(SlackBlocks.Section(
            headline,
            $"*{phrases.SeverityLabel}*\n{Text(incident.Severity)}",
            $"*{phrases.ServiceLabel}*\n{Text(incident.ServiceName)}",
            $"*{phrases.StatusLabel}*\n{status}"));
        AddStatusAndButtons(blocks, incident, phrases);

        var text = $"{(paged ? phrases.YouArePaged + " " : "")}{Title(incident)} ({Text(incident.Severity)}, {Text(incident.ServiceName)}, {status})";
        return new SlackContent(text, blocks);
    }

    private static SlackContent ChannelPost(
        SlackIncident incident, SlackPhrases phrases, string template, string textTemplate, Dictionary<string, string> values)
    {
        var body = SlackTemplates.Render(template, values).ReplaceLineEndings("\n");
        var blocks = new JsonArray(SlackBlocks.Section(body));
        AddStatusAndButtons(blocks, incident, phrases);
        return new SlackContent(SlackTemplates.Render(textTemplate, values), blocks);
    }

    // A blank template would render an empty section, which Slack refuses.
    private static string OrDefault(string? template, string shipped) => string.IsNullOrWhiteSpace(template) ? shipped : template;

    private static void AddStatusAndButtons(JsonArray blocks, SlackIncident incident, SlackPhrases phrases)
    {
        if (incident.IsResolved)
        {
            blocks.Add(SlackBlocks.Context(StatusLine(incident, phrases.ResolvedBy, phrases.Resolved)));
            return;
        }

        var resolve = SlackBlocks.Button(SlackActions.Resolve, phrases.ResolveButton, "danger", incident.IncidentId);
        if (incident.IsAcknowledged)
        {
            blocks.Add(SlackBlocks.Context(StatusLine(incident, phrases.AcknowledgedBy, phrases.Acknowledged)));
            blocks.Add(SlackBlocks.Actions(resolve));
            return;
        }

        var acknowledge = SlackBlocks.Button(SlackActions.Acknowledge, phrases.AcknowledgeButton, "primary", incident.IncidentId);
        blocks.Add(SlackBlocks.Actions(acknowledge, resolve));
    }

    private static string StatusLine(SlackIncident incident, string byWhom, string anonymous) =>
        string.IsNullOrWhiteSpace(incident.StatusBy)
            ? anonymous
            : SlackTemplates.Render(byWhom, new Dictionary<string, string> { ["by"] = Text(incident.StatusBy) });

    private static string StatusName(SlackIncident incident, SlackPhrases phrases) => incident.Status.ToLowerInvariant() switch
    {
        "triggered" => phrases.Triggered,
        "acknowledged" => phrases.Acknowledged,
        "resolved" => phrases.Resolved,
        _ => Text(incident.Status),
    };

    private static string Emoji(SlackIncident incident) =>
        incident.IsResolved ? ":white_check_mark:"
        : incident.IsAcknowledged ? ":eyes:"
        : incident.HighUrgency ? ":rotating_light:"
        : ":warning:";

    private static string Signals(SlackIncident incident)
    {
        if (incident.Links.Count == 0)
            return $"<{SlackMrkdwn.SafeHref(incident.IncidentUrl)}>";
        return string.Join(", ", incident.Links.Take(LinksMax).Select(link =>
            SlackMrkdwn.Link(link.Href, Short(string.IsNullOrWhiteSpace(link.Text) ? link.Href : link.Text, TitleMax))));
    }

    /// <summary>A custom detail as escaped text; null when it is absent, JSON null or blank.</summary>
    private static string? Told(string? raw) => string.IsNullOrWhiteSpace(raw) ? null : Text(raw);

    private static string? Detail(SlackIncident incident, string key)
    {
        var node = incident.CustomDetails?[key];
        var raw = node switch
        {
            null => null,
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            _ when node.GetValueKind() == JsonValueKind.Null => null,
            _ => node.ToJsonString(ReadableJson),
        };
        return Told(raw);
    }

    private static string Title(SlackIncident incident) => SlackMrkdwn.Escape(Short(incident.Title, TitleMax));

    private static string Text(string raw) => SlackMrkdwn.Escape(Short(raw, ValueMax));

    private static string Short(string raw, int max) => SlackMrkdwn.Fit(raw, max);
}
