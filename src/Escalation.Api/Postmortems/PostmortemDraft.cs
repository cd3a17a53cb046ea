using System.Text;
using System.Text.Json;
using Escalation.Incidents;
using Escalation.Practice;
using Escalation.Storage.Changes;
using NodaTime;
using NodaTime.Text;

namespace Escalation.Api.Postmortems;

/// <summary>What a postmortem draft is filled in from.</summary>
/// <param name="Timeline">The incident's whole timeline, archived entries included.</param>
/// <param name="Changes">The service's changes in the hour before the incident opened.</param>
/// <param name="Slo">How the incident stood against its service's acknowledgement SLO, in words; null when the service declares none.</param>
public sealed record PostmortemInput(
    IncidentState Incident,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<ChangeView> Changes,
    string ServiceName,
    string? Template,
    DateTimeZone Zone,
    string IncidentUrl,
    DateTimeOffset Now,
    string? Slo = null);

/// <summary>
/// A blameless postmortem draft in Markdown, filled in from an incident when it is read: summary, timeline, impact and
/// actions from what was recorded; root cause and lessons left for people to write. A service's own template takes
/// the same placeholders as the shipped one.
/// </summary>
public static partial class PostmortemDraft
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial System.Text.RegularExpressions.Regex Placeholder();

    private static readonly ZonedDateTimePattern Time = ZonedDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd HH':'mm o<+HH:mm>", null);

    /// <summary>Timeline entries that are not part of the story: a reminder to write an update is not an event.</summary>
    private static readonly HashSet<string> Left = ["status_update_due"];

    public static string Render(PostmortemInput input, string? locale)
    {
        var p = PostmortemPhrases.For(locale);
        var s = input.Incident;
        var values = new Dictionary<string, string>
        {
            ["title"] = MarkdownText.Inline(s.Title),
            ["priority"] = s.Priority.ToString(),
            ["service"] = MarkdownText.Inline(input.ServiceName),
            ["incident_id"] = s.Id,
            ["incident_url"] = input.IncidentUrl,
            ["summary"] = Summary(input, p),
            ["timeline"] = Timeline(input, p),
            ["impact"] = Impact(input, p),
            ["actions"] = Actions(input, p),
        };
        // One pass over the template: a value that holds "{timeline}" (a title, a status update) stays as it is.
        var template = string.IsNullOrWhiteSpace(input.Template) ? p.Template : input.Template;
        return Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value).ReplaceLineEndings("\n");
    }

    private static string Summary(PostmortemInput input, PostmortemPhrases p)
    {
        var s = input.Incident;
        var first = ResponseCycles.Of(s).FirstOrDefault();
        var occurred = Detail(s, "started_at") is { } started ? MarkdownText.Inline(started) : At(input, s.CreatedAt) + p.Aside(p.FirstAlert);
        return Lines(
            Item(p, p.Occurred, occurred),
            Item(p, p.Detected, At(input, s.CreatedAt)),
            Item(p, p.Acknowledged, first?.RespondedAt is { } ack ? At(input, ack) + p.Aside($"{p.By} {MarkdownText.Inline(first.RespondedBy)}") : p.NotYet),
            Item(p, p.Recovered, s.ResolvedAt is { } resolved ? At(input, resolved) + p.Aside($"{p.By} {MarkdownText.Inline(s.ResolvedBy)}") : p.NotYet),
            Item(p, p.Impact, Detail(s, "impact") is { } impact ? MarkdownText.Inline(impact) : p.ToBeWritten),
            Item(p, p.Priority, s.Priority.ToString()));
    }

    private static string Timeline(PostmortemInput input, PostmortemPhrases p)
    {
        var events = input.Timeline.Where(e => !Left.Contains(e.Type)).Select(e => (e.At, Text: MarkdownText.Inline(e.Message)))
            .Concat(input.Changes.Select(c => (c.At, Text: $"{p.Change}{p.Colon}{MarkdownText.Inline(c.Summary)}{(c.Source is { } src ? p.Aside(MarkdownText.Inline(src)) : "")}")))
            .OrderBy(e => e.At)
            .Select(e => $"- {At(input, e.At)} {e.Text}")
            .ToList();
        return events.Count == 0 ? p.NoEvents : string.Join('\n', events);
    }

    private static string Impact(PostmortemInput input, PostmortemPhrases p)
    {
        var s = input.Incident;
        var times = ResponseTimes.Of(s, input.Now);
        var duration = times.TimeToResolve is { } ttr ? p.Span(ttr) : $"{p.OpenFor} {p.Span(input.Now - s.CreatedAt)}";
        return Lines(
            Item(p, p.Duration, duration),
            Item(p, p.Alerts, s.AlertCount.ToString()),
            Item(p, Targeted(p.FirstResponseTarget, s.Targets?.Acknowledge, p), FirstResponse(times, p)),
            Item(p, Targeted(p.RecoveryTarget, s.Targets?.Resolve, p), s.Targets?.Resolve is null ? p.NoTarget : Outcome(times.ResolveTargetMet, times.TimeToResolve, p)),
            Item(p, p.Slo, input.Slo is { } slo ? MarkdownText.Inline(slo) : p.NoSlo));
    }

    private static string Targeted(string label, TimeSpan? target, PostmortemPhrases p) => target is { } t ? label + p.Aside(p.Span(t)) : label;

    private static string FirstResponse(ResponseTimes times, PostmortemPhrases p)
    {
        if (times.Targets?.Acknowledge is null) return p.NoTarget;
        if (times.Cycles.Count <= 1) return times.Cycles.Count == 0 ? p.Running : Outcome(times.Cycles[0].Met, times.Cycles[0].TimeToAcknowledge, p);
        return string.Join("; ", times.Cycles.Select(c => $"{p.CycleLabel} {c.Cycle + 1}{p.Colon}{Outcome(c.Met, c.TimeToAcknowledge, p)}"));
    }

    private static string Outcome(bool? met, TimeSpan? took, PostmortemPhrases p)
    {
        var word = met switch { true => p.Met, false => p.Missed, _ => p.Running };
        return took is { } t ? word + p.Aside(p.Span(t)) : word;
    }

    private static string Actions(PostmortemInput input, PostmortemPhrases p)
    {
        var s = input.Incident;
        var done = s.Recovery?.WhatWasDone ?? Detail(s, "what_was_done");
        var confirmed = s.Recovery?.HowConfirmed ?? Detail(s, "how_confirmed");
        var followUps = (s.Recovery?.FollowUps ?? Detail(s, "follow_ups") ?? "")
            .Split(['\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(f => $"  - [ ] {MarkdownText.Inline(f)}").ToList();
        if (followUps.Count == 0) followUps.Add($"  - [ ] {p.ToBeWritten}");
        return Lines(
            Item(p, p.WhatWasDone, done is null ? p.ToBeWritten : MarkdownText.Inline(done)),
            Item(p, p.HowConfirmed, confirmed is null ? p.ToBeWritten : MarkdownText.Inline(confirmed)),
            $"- **{p.Prevention}{p.Colon.TrimEnd()}**\n{string.Join('\n', followUps)}");
    }

    private static string Item(PostmortemPhrases p, string label, string value) => $"- **{label}{p.Colon.TrimEnd()}** {value}";

    private static string Lines(params string[] lines) => string.Join('\n', lines);

    private static string At(PostmortemInput input, DateTimeOffset at) => Time.Format(Instant.FromDateTimeOffset(at).InZone(input.Zone));

    private static string? Detail(IncidentState s, string name)
    {
        if (s.DetailsJson is null) return null;
        using var details = JsonDocument.Parse(s.DetailsJson);
        return details.RootElement.ValueKind == JsonValueKind.Object && details.RootElement.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()) ? value.GetString() : null;
    }
}
