namespace Escalation.Notifications;

/// <summary>
/// One notification of an incident, as the incident remembers it: a page to one person on one channel, or the
/// incident's post in its service's Slack channel. A page with <see cref="DueAt"/> in the future is scheduled by
/// the person's notification rules and is not handed to the bus before then.
/// </summary>
[GenerateSerializer, Alias("escalation.notification-record")]
public sealed record NotificationRecord
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required int Level { get; init; }
    [Id(2)] public required int Loop { get; init; }
    [Id(3)] public required int Cycle { get; init; }
    [Id(4)] public required string UserId { get; init; }
    [Id(5)] public required string Channel { get; init; }
    [Id(6)] public NotificationStatus Status { get; set; }
    [Id(7)] public int Attempts { get; set; }
    [Id(8)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(9)] public DateTimeOffset? SentAt { get; set; }
    [Id(10)] public string? Error { get; set; }
    [Id(11)] public NotificationKind Kind { get; init; } = NotificationKind.Page;
    [Id(12)] public DateTimeOffset? DueAt { get; set; }
    /// <summary>Set when the page went out another way than asked: "log" while its channel is not configured.</summary>
    [Id(13)] public string? DeliveredVia { get; set; }
    /// <summary>For a channel post: the Slack channel id, or the Discord channel's configured name.</summary>
    [Id(14)] public string? Target { get; init; }
    /// <summary>For a Slack update: what happened, as told in the thread.</summary>
    [Id(15)] public string? EventText { get; init; }
    /// <summary>Which round of paging again while nobody was reached this is: 0 for the first page.</summary>
    [Id(16)] public int Retry { get; init; }
    /// <summary>Failed for this recipient for good: not paged again the same way while nobody is reached.</summary>
    [Id(17)] public bool Permanent { get; set; }

    public bool IsDue(DateTimeOffset now) => Status == NotificationStatus.Pending && (DueAt is null || DueAt <= now);

    public bool IsScheduled(DateTimeOffset now) => Status == NotificationStatus.Pending && DueAt > now;

    public bool IsAt(int cycle, int level, int loop) => Cycle == cycle && Level == level && Loop == loop;

    /// <summary>
    /// The stable identity of a page: the same (incident, cycle, level, loop, user, channel, retry) is never sent
    /// twice. Level is one-based, as users see it. A page again while nobody was reached gets its round in the id, so
    /// that the ledger does not answer it as the page that failed.
    /// </summary>
    public static string IdFor(string incidentId, int cycle, int level, int loop, string userId, string channel, int retry = 0) =>
        retry == 0 ? $"{incidentId}/{cycle}.{level}.{loop}/{userId}/{channel}" : $"{incidentId}/{cycle}.{level}.{loop}/{userId}/{channel}/retry-{retry}";

    /// <summary>
    /// One page of one person, whatever channels it went out on: "1.2.0" for cycle 1, level 2, loop 0, or
    /// "1.2.0/retry-3". Null for anything that is not a page (a channel post, an update, a reminder).
    /// </summary>
    public static string? PageKeyOf(string id) => id.Split('/') switch
    {
        [_, var at, _, _] when IsPosition(at) => at,
        [_, var at, _, _, var retry] when IsPosition(at) && retry.StartsWith("retry-", StringComparison.Ordinal) => $"{at}/{retry}",
        _ => null,
    };

    private static bool IsPosition(string at) => at.Split('.') is [var c, var l, var o] && int.TryParse(c, out _) && int.TryParse(l, out _) && int.TryParse(o, out _);

    public static string ReminderIdFor(string incidentId, int timelinePosition) => $"{incidentId}/reminder/{timelinePosition}";

    public static bool IsReminderId(string id) => id.Contains("/reminder/", StringComparison.Ordinal);

    public static string ChannelPostIdFor(string incidentId, string channel = ChannelNames.Slack) => $"{incidentId}/post/{channel}";
}
