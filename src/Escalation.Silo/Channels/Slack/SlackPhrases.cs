namespace Escalation.Silo.Channels.Slack;

/// <summary>
/// The words incident messages are made of, per language. Phrases with a <c>{by}</c> placeholder are rendered
/// with <see cref="SlackTemplates.Render"/> like the templates.
/// </summary>
internal sealed record SlackPhrases(
    string DeclarationTemplate,
    string RecoveryTemplate,
    string DeclarationText,
    string RecoveryText,
    string UnknownImpact,
    string DefaultFirstAction,
    string SeeTimeline,
    string FollowUpsLater,
    string Unknown,
    string AcknowledgeButton,
    string ResolveButton,
    string AcknowledgedBy,
    string ResolvedBy,
    string Acknowledged,
    string Resolved,
    string Triggered,
    string YouArePaged,
    string SeverityLabel,
    string ServiceLabel,
    string StatusLabel)
{
    public static readonly SlackPhrases English = new(
        DeclarationTemplate:
            """
            :rotating_light: *[{priority}] Incident declared: {title}*
            *Kind:* {kind}
            *Service:* {service}
            *Entry point:* {entry_point}
            *Impact:* {impact}
            *Signals:* {signals}
            *First action:* {first_action}
            <{incident_url}|Open the incident>
            """,
        RecoveryTemplate:
            """
            :white_check_mark: *[{priority}] Recovered: {title}*
            *What was done:* {what_was_done}
            *How it was confirmed:* {how_confirmed}
            *Follow-ups:* {follow_ups}
            *Resolved by:* {resolved_by}
            <{incident_url}|Open the incident> · <{postmortem_url}|Postmortem draft>
            """,
        DeclarationText: "[{priority}] Incident declared: {title}",
        RecoveryText: "[{priority}] Recovered: {title}",
        UnknownImpact: "unknown: assess now",
        DefaultFirstAction: "Acknowledge, then investigate",
        SeeTimeline: "see the incident timeline",
        FollowUpsLater: "to be decided in the postmortem",
        Unknown: "unknown",
        AcknowledgeButton: "Acknowledge",
        ResolveButton: "Resolve",
        AcknowledgedBy: "Acknowledged by {by}",
        ResolvedBy: "Resolved by {by}",
        Acknowledged: "Acknowledged",
        Resolved: "Resolved",
        Triggered: "Triggered",
        YouArePaged: "You are paged:",
        SeverityLabel: "Severity",
        ServiceLabel: "Service",
        StatusLabel: "Status");

    public static readonly SlackPhrases Japanese = new(
        DeclarationTemplate:
            """
            :rotating_light: *【{priority}】インシデント宣言：{title}*
            *種別：* {kind}
            *サービス：* {service}
            *エントリーポイント：* {entry_point}
            *影響範囲：* {impact}
            *シグナル：* {signals}
            *初動対応：* {first_action}
            <{incident_url}|インシデントを開く>
            """,
        RecoveryTemplate:
            """
            :white_check_mark: *【{priority}】復旧：{title}*
            *実施した対応：* {what_was_done}
            *復旧の確認方法：* {how_confirmed}
            *今後の対応：* {follow_ups}
            *解決者：* {resolved_by}
            <{incident_url}|インシデントを開く> · <{postmortem_url}|ポストモーテム下書き>
            """,
        DeclarationText: "【{priority}】インシデント宣言：{title}",
        RecoveryText: "【{priority}】復旧：{title}",
        UnknownImpact: "不明：至急確認してください",
        DefaultFirstAction: "「確認」を押してから調査を始めてください",
        SeeTimeline: "インシデントのタイムラインを参照してください",
        FollowUpsLater: "ポストモーテムで決定します",
        Unknown: "不明",
        AcknowledgeButton: "確認",
        ResolveButton: "解決",
        AcknowledgedBy: "確認者：{by}",
        ResolvedBy: "解決者：{by}",
        Acknowledged: "確認済み",
        Resolved: "解決済み",
        Triggered: "未対応",
        YouArePaged: "呼び出し：",
        SeverityLabel: "重大度",
        ServiceLabel: "サービス",
        StatusLabel: "ステータス");

    /// <summary>Japanese for "ja" and its regional forms (ja-JP); English for anything else.</summary>
    public static SlackPhrases For(string? locale) =>
        locale is not null
        && (locale.Equals("ja", StringComparison.OrdinalIgnoreCase)
            || locale.StartsWith("ja-", StringComparison.OrdinalIgnoreCase)
            || locale.StartsWith("ja_", StringComparison.OrdinalIgnoreCase))
            ? Japanese
            : English;
}
