using Escalation.Configuration;
using Escalation.Escalations;
using Escalation.Maintenance;
using Escalation.Notifications;
using Escalation.Practice;
using Escalation.Routing;

namespace Escalation.Incidents;

/// <summary>
/// Everything an incident persists. The notifications list doubles as the outbox:
/// a page is written here as pending before it is handed to the bus.
/// </summary>
[GenerateSerializer, Alias("escalation.incident-state")]
public sealed record IncidentState
{
    [Id(0)] public string Id { get; set; } = "";
    [Id(1)] public string ServiceId { get; set; } = "";
    [Id(2)] public string DedupKey { get; set; } = "";
    [Id(3)] public string Title { get; set; } = "";
    [Id(4)] public Severity Severity { get; set; }
    [Id(5)] public string? Source { get; set; }
    [Id(6)] public string? Component { get; set; }
    [Id(7)] public string? Group { get; set; }
    [Id(8)] public string? Class { get; set; }
    [Id(9)] public string? DetailsJson { get; set; }
    [Id(10)] public List<IncidentLink> Links { get; set; } = [];
    [Id(11)] public IncidentStatus Status { get; set; }
    [Id(12)] public DateTimeOffset CreatedAt { get; set; }
    [Id(13)] public DateTimeOffset LastSeenAt { get; set; }
    [Id(14)] public int AlertCount { get; set; }
    [Id(15)] public DateTimeOffset? AcknowledgedAt { get; set; }
    [Id(16)] public string? AcknowledgedBy { get; set; }
    [Id(17)] public DateTimeOffset? ResolvedAt { get; set; }
    [Id(18)] public string? ResolvedBy { get; set; }
    [Id(19)] public EscalationPolicy Policy { get; set; } = new("", "", 0, []);
    [Id(20)] public TimeSpan? AcknowledgementTimeout { get; set; }
    /// <summary>Bumped each time an acknowledgement times out and escalation starts again from level 1.</summary>
    [Id(21)] public int Cycle { get; set; }
    [Id(22)] public EscalationPosition Position { get; set; }
    [Id(23)] public DateTimeOffset? NextEscalationAt { get; set; }
    [Id(24)] public DateTimeOffset? RetriggerAt { get; set; }
    [Id(25)] public List<TimelineEntry> Timeline { get; set; } = [];
    [Id(26)] public List<NotificationRecord> Notifications { get; set; } = [];
    /// <summary>Bumped on every write; orders the read model's rows.</summary>
    [Id(27)] public long Version { get; set; }
    [Id(28)] public Urgency Urgency { get; set; }
    /// <summary>What the resolver said of the recovery, for the recovery post; null when they said nothing.</summary>
    [Id(29)] public Recovery? Recovery { get; set; }
    /// <summary>While nobody of this cycle has been reached: when the people paged so far are paged again.</summary>
    [Id(30)] public DateTimeOffset? RetryAt { get; set; }
    /// <summary>How many times this cycle's people have been paged again because nobody was reached.</summary>
    [Id(31)] public int RetryRound { get; set; }
    /// <summary>How many of the oldest timeline entries are in the archive, not here (<see cref="IIncidentArchive"/>).</summary>
    [Id(32)] public int TimelineArchived { get; set; }
    /// <summary>How many settled notifications are in the archive, not here.</summary>
    [Id(33)] public int NotificationsArchived { get; set; }
    /// <summary>Whether anything of the incident went to Slack, so that each of its turns is told there.</summary>
    [Id(34)] public bool InSlack { get; set; }
    /// <summary>The cycle the incident was last acknowledged in; an acknowledge link of that cycle is spent.</summary>
    [Id(35)] public int? LastAcknowledgedCycle { get; set; }
    [Id(36)] public Priority Priority { get; set; } = Priority.P1;
    /// <summary>What the priority does on the service: page (with which urgency), post only, or record only.</summary>
    [Id(37)] public PriorityRoute Route { get; set; } = ServiceRouting.DefaultP1;
    /// <summary>Why the incident has its priority: a rule, the source's severity, or "when in doubt, P1".</summary>
    [Id(38)] public string? PriorityReason { get; set; }
    /// <summary>The event rule that suppressed the alert (recorded, nobody paged), if one did.</summary>
    [Id(39)] public string? SuppressedBy { get; set; }
    /// <summary>The source's labels or tags (Alertmanager labels, Sentry tags, ...), for rules and for people.</summary>
    [Id(40)] public Dictionary<string, string>? Labels { get; set; }
    /// <summary>While a maintenance window holds the incident: it pages nobody and does not escalate until then.</summary>
    [Id(41)] public MaintenanceHold? Held { get; set; }
    /// <summary>The first-response and recovery targets of the incident's priority on its service; null when it has none.</summary>
    [Id(42)] public ResponseTarget? Targets { get; set; }
    /// <summary>Each cycle's start and first answer, to measure each against the first-response target.</summary>
    [Id(43)] public List<ResponseCycle> Cycles { get; set; } = [];
    /// <summary>Which target warnings and misses are on the timeline already (<see cref="ResponseClock"/>).</summary>
    [Id(44)] public List<string> TargetsNoted { get; set; } = [];
    /// <summary>How often the incident owes a status update while open; null when its priority owes none.</summary>
    [Id(45)] public TimeSpan? StatusUpdateEvery { get; set; }
    /// <summary>When a reminder goes out unless a status update is posted first.</summary>
    [Id(46)] public DateTimeOffset? StatusUpdateDueAt { get; set; }
    [Id(47)] public DateTimeOffset? LastStatusUpdateAt { get; set; }
    /// <summary>The production release whose watch the incident opened during, if any.</summary>
    [Id(48)] public Releases.ReleaseLink? Release { get; set; }

    /// <summary>
    /// When the operating practice acts next: a status-update reminder, or a response target at risk or missed. Not
    /// while a window holds the incident (they are told once it is released) nor once it is resolved.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DateTimeOffset? PracticeDeadline => Held is not null || Status == IncidentStatus.Resolved ? null
        : new[] { StatusUpdateDueAt, ResponseClock.Next(this) }.Where(d => d is not null).Min();

    /// <summary>When the policy acts next: the next escalation, or the re-trigger of an acknowledgement that times out.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DateTimeOffset? EscalationDeadline => Status switch
    {
        IncidentStatus.Triggered => NextEscalationAt,
        IncidentStatus.Acknowledged => RetriggerAt,
        _ => null,
    };

    /// <summary>The next moment the incident must act: its escalation deadline, or paging again while nobody was reached.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DateTimeOffset? NextDeadline => Held is { } held && Status != IncidentStatus.Resolved ? held.Until :
        Status == IncidentStatus.Triggered && RetryAt is { } retry && (EscalationDeadline is not { } deadline || retry < deadline) ? retry : EscalationDeadline;
}
