namespace Escalation.Api.Postmortems;

/// <summary>The words of a postmortem draft in one locale, and its shipped template.</summary>
public sealed record PostmortemPhrases(
    string Template,
    string ToBeWritten,
    string Occurred,
    string FirstAlert,
    string Detected,
    string Acknowledged,
    string Recovered,
    string NotYet,
    string Impact,
    string Priority,
    string By,
    string Change,
    string NoEvents,
    string Duration,
    string OpenFor,
    string Alerts,
    string FirstResponseTarget,
    string RecoveryTarget,
    string CycleLabel,
    string Met,
    string Missed,
    string Running,
    string NoTarget,
    string Slo,
    string NoSlo,
    string WhatWasDone,
    string HowConfirmed,
    string Prevention,
    string Colon,
    Func<string, string> Aside,
    Func<TimeSpan, string> Span)
{
    public static PostmortemPhrases For(string? locale) => locale == "ja" ? Japanese : English;

    public static readonly PostmortemPhrases English = new(
        Template: """
            # Postmortem: {title}

            Incident {incident_id} ({priority}, {service}). A draft filled in from the incident. Keep it blameless: describe systems and conditions, not people.

            ## Summary
            {summary}

            ## Timeline
            {timeline}

            ## Root cause
            - Technical: _to be written_
            - Process: _to be written_

            ## Impact
            {impact}

            ## Actions
            {actions}

            ## Lessons
            - Detection: _to be written_
            - Response: _to be written_
            - Design: _to be written_

            """,
        ToBeWritten: "_to be written_",
        Occurred: "Occurred", FirstAlert: "first alert", Detected: "Detected", Acknowledged: "Acknowledged", Recovered: "Recovered",
        NotYet: "not yet", Impact: "Impact", Priority: "Priority", By: "by", Change: "Change", NoEvents: "_nothing recorded_",
        Duration: "Duration", OpenFor: "still open after", Alerts: "Alerts", FirstResponseTarget: "First-response target",
        RecoveryTarget: "Recovery target", CycleLabel: "cycle", Met: "met", Missed: "missed", Running: "not settled yet", NoTarget: "none set",
        Slo: "Acknowledgement SLO", NoSlo: "none declared for the service",
        WhatWasDone: "What was done", HowConfirmed: "How recovery was confirmed", Prevention: "Permanent fixes and prevention",
        Colon: ": ", Aside: text => $" ({text})", Span: EnglishSpan);

    public static readonly PostmortemPhrases Japanese = new(
        Template: """
            # ポストモーテム：{title}

            インシデント {incident_id}（{priority}、{service}）。インシデントの記録から作成した下書きです。人ではなく、仕組みと状況について書いてください（非難しない）。

            ## 概要
            {summary}

            ## タイムライン
            {timeline}

            ## 根本原因
            - 技術的要因：_記入してください_
            - プロセス上の要因：_記入してください_

            ## 影響評価
            {impact}

            ## 対策
            {actions}

            ## 学んだ教訓
            - 検知：_記入してください_
            - 対応：_記入してください_
            - 設計：_記入してください_

            """,
        ToBeWritten: "_記入してください_",
        Occurred: "発生", FirstAlert: "最初のアラート", Detected: "検知", Acknowledged: "確認", Recovered: "復旧",
        NotYet: "未", Impact: "影響範囲", Priority: "優先度", By: "対応者", Change: "変更", NoEvents: "_記録なし_",
        Duration: "影響時間", OpenFor: "未解決・経過", Alerts: "アラート数", FirstResponseTarget: "初動目標",
        RecoveryTarget: "復旧目標", CycleLabel: "サイクル", Met: "達成", Missed: "未達", Running: "未確定", NoTarget: "設定なし",
        Slo: "確認SLO", NoSlo: "サービスに宣言なし",
        WhatWasDone: "実施した対応", HowConfirmed: "復旧の確認方法", Prevention: "恒久対策・再発防止",
        Colon: "：", Aside: text => $"（{text}）", Span: JapaneseSpan);

    private static string EnglishSpan(TimeSpan t) => t.TotalMinutes < 1 ? $"{(int)t.TotalSeconds} s"
        : t.TotalHours < 1 ? $"{(int)t.TotalMinutes} min"
        : t.Minutes == 0 ? $"{(int)t.TotalHours} h" : $"{(int)t.TotalHours} h {t.Minutes} min";

    private static string JapaneseSpan(TimeSpan t) => t.TotalMinutes < 1 ? $"{(int)t.TotalSeconds}秒"
        : t.TotalHours < 1 ? $"{(int)t.TotalMinutes}分"
        : t.Minutes == 0 ? $"{(int)t.TotalHours}時間" : $"{(int)t.TotalHours}時間{t.Minutes}分";
}
