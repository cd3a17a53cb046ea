using Escalation.Notifications;

namespace Escalation.Rotations;

/// <summary>
/// One message a rotation sends (a handoff, a swap) to one person or one team channel, as the rotation's outbox
/// remembers it. Exactly one of <see cref="UserId"/> and <see cref="SlackChannel"/> is set.
/// </summary>
[GenerateSerializer, Alias("escalation.rotation-announcement")]
public sealed record Announcement
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Kind { get; init; }
    [Id(2)] public string? UserId { get; init; }
    [Id(3)] public string? SlackChannel { get; init; }
    [Id(4)] public required string Channel { get; init; }
    [Id(5)] public required string Text { get; init; }
    [Id(6)] public NotificationStatus Status { get; set; }
    [Id(7)] public int Attempts { get; set; }
    [Id(8)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(9)] public DateTimeOffset? SentAt { get; set; }
    [Id(10)] public string? Error { get; set; }

    /// <summary>Takes a channel's report; false when it was settled already (reports are at-least-once).</summary>
    public bool Settle(DeliveryReport report)
    {
        if (Status != NotificationStatus.Pending) return false;
        Status = report.Status;
        Attempts = Math.Max(Attempts, report.Attempts);
        SentAt = report.Status == NotificationStatus.Sent ? report.At : null;
        Error = report.Error;
        return true;
    }

    /// <summary>
    /// The stable identity of an announcement: the same event of a rotation (a handoff instant, a swap decision)
    /// reaches each recipient on each channel once. The "rotation:" prefix keeps it apart from incident page ids.
    /// </summary>
    public static string IdFor(string rotationId, string eventKey, string recipient, string channel) =>
        $"rotation:{rotationId}/{eventKey}/{recipient}/{channel}";
}

/// <summary>What a rotation wants said and to whom, before it is given an id and put in the outbox.</summary>
public sealed record AnnouncementDraft(string Kind, string EventKey, string? UserId, string? SlackChannel, string Text)
{
    public string Recipient => UserId is not null ? $"user:{UserId}" : $"slack:{SlackChannel}";
}
