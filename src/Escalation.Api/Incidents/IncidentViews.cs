using System.Text.Json;
using Escalation.Api.Changes;
using Escalation.Incidents;
using Escalation.Notifications;
using Escalation.Maintenance;
using Escalation.Practice;
using Escalation.Routing;
using Escalation.Storage.Changes;
using Escalation.Storage.Incidents;

namespace Escalation.Api.Incidents;

/// <param name="NobodyReached">Triggered, and no page of this cycle has reached anyone yet.</param>
/// <param name="Unreached">Who was paged in this cycle and not reached yet (a page may be on its way to them).</param>
/// <param name="NextTryAt">When those owed another page are paged again; null while their pages are on their way.</param>
public sealed record EscalationView(string PolicyId, int Level, int Loop, DateTimeOffset? NextEscalationAt, bool NobodyReached,
    IReadOnlyList<string> Unreached, DateTimeOffset? NextTryAt)
{
    public static EscalationView Of(IncidentState s)
    {
        var triggered = s.Status == IncidentStatus.Triggered;
        return new(s.Policy.Id, s.Position.Level + 1, s.Position.Loop, s.EscalationDeadline,
            triggered && !Escalations.NobodyReached.AnyoneReached(s.Notifications, s.Cycle),
            triggered ? Escalations.NobodyReached.Unreached(s.Notifications, s.Cycle) : [],
            triggered ? s.RetryAt : null);
    }
}

/// <param name="Priority">P1 to P4; <paramref name="PriorityReason"/> says where it came from.</param>
/// <param name="Action">What the priority does on the service: page, post_only or record_only.</param>
public sealed record RoutingView(Priority Priority, string? PriorityReason, RouteAction Action, Urgency Urgency, bool PostsToChannel, string? SuppressedBy,
    string? DiscordChannel)
{
    public static RoutingView Of(IncidentState s) =>
        new(s.Priority, s.PriorityReason, s.Route.Action, s.Urgency, s.Route.Posts, s.SuppressedBy, s.Route.PostsToDiscord ? s.Route.DiscordChannel : null);
}

/// <summary>How often the incident owes a status update, when the next reminder goes out, and when the last update was posted.</summary>
public sealed record StatusUpdatesView(TimeSpan Every, DateTimeOffset? DueAt, DateTimeOffset? LastAt);

/// <summary>The incident's response times against its priority's targets, and its status-update clock (null when it owes none).</summary>
public sealed record ResponseView(
    ResponseTarget? Targets,
    TimeSpan? TimeToAcknowledge,
    TimeSpan? TimeToResolve,
    bool? AcknowledgeTargetMet,
    bool? ResolveTargetMet,
    IReadOnlyList<CycleResponse> Cycles,
    StatusUpdatesView? StatusUpdates)
{
    public static ResponseView Of(IncidentState s, DateTimeOffset now)
    {
        var times = ResponseTimes.Of(s, now);
        return new(times.Targets, times.TimeToAcknowledge, times.TimeToResolve, times.AcknowledgeTargetMet, times.ResolveTargetMet, times.Cycles,
            s.StatusUpdateEvery is { } every ? new StatusUpdatesView(every, s.StatusUpdateDueAt, s.LastStatusUpdateAt) : null);
    }
}

public sealed record IncidentView(
    string Id,
    string ServiceId,
    string DedupKey,
    string Title,
    Severity Severity,
    IncidentStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    int AlertCount,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy,
    string? Source,
    string? Component,
    string? Group,
    string? Class,
    JsonElement? Details,
    IReadOnlyList<IncidentLink> Links,
    EscalationView Escalation,
    IReadOnlyList<TimelineEntry> Timeline,
    Recovery? Recovery,
    RoutingView Routing,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<ChangeView> RecentChanges,
    MaintenanceHold? Maintenance,
    ResponseView Response,
    Releases.ReleaseLink? Release)
{
    /// <param name="archived">The timeline entries older than those in the state.</param>
    /// <param name="recentChanges">The service's changes in the hour before the incident opened, newest first.</param>
    public static IncidentView Of(IncidentState s, IReadOnlyList<TimelineEntry> archived, IReadOnlyList<ChangeView> recentChanges, DateTimeOffset now) => new(
        s.Id, s.ServiceId, s.DedupKey, s.Title, s.Severity, s.Status, s.CreatedAt, s.LastSeenAt, s.AlertCount,
        s.AcknowledgedAt, s.AcknowledgedBy, s.ResolvedAt, s.ResolvedBy, s.Source, s.Component, s.Group, s.Class,
        s.DetailsJson is null ? null : JsonDocument.Parse(s.DetailsJson).RootElement,
        s.Links,
        EscalationView.Of(s),
        archived.Count > 0 ? [.. archived, .. s.Timeline] : s.Timeline,
        s.Recovery,
        RoutingView.Of(s),
        s.Labels ?? [],
        recentChanges,
        s.Held,
        ResponseView.Of(s, now),
        s.Release);
}

public sealed record NotificationView(
    string Id,
    NotificationKind Kind,
    int Cycle,
    int Level,
    int Loop,
    string? UserId,
    string? SlackChannel,
    string Channel,
    NotificationStatus Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? SentAt,
    string? Error,
    string? DeliveredVia,
    string? Address,
    string? ProviderMessageId,
    string? ProviderStatus,
    IReadOnlyList<AttemptView> AttemptLog,
    string? DiscordChannel = null)
{
    public static NotificationView Of(NotificationRecord n, DeliveryView? d) =>
        new(n.Id, n.Kind, n.Cycle, n.Level, n.Loop, n.Kind == NotificationKind.Page ? n.UserId : null,
            n.Channel == ChannelNames.Slack ? n.Target : null, n.Channel, n.Status,
            Math.Max(n.Attempts, d?.Attempts.Count ?? 0), n.CreatedAt, n.DueAt, n.SentAt, n.Error, n.DeliveredVia ?? d?.DeliveredVia,
            d?.Address is { } address ? AddressMask.Mask(address) : null, d?.ProviderMessageId, d?.ProviderStatus, d?.Attempts ?? [], n.Channel == ChannelNames.Discord ? n.Target : null);
}
