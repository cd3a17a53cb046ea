namespace Escalation.Notifications;

/// <summary>One page to one person on one channel, as the incident remembers it.</summary>
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

    /// <summary>
    /// The stable identity of a page: the same (incident, cycle, level, loop, user, channel) is never sent twice.
    /// Level is one-based, as users see it.
    /// </summary>
    public static string IdFor(string incidentId, int cycle, int level, int loop, string userId, string channel) =>
        $"{incidentId}/{cycle}.{level}.{loop}/{userId}/{channel}";
}
