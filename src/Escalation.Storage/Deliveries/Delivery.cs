using Escalation.Notifications;

namespace Escalation.Storage.Deliveries;

public enum DeliveryStatus
{
    Sending,
    Sent,
    Failed,
    Cancelled,
}

public static class DeliveryStatuses
{
    public static string Name(DeliveryStatus status) => status.ToString().ToLowerInvariant();

    public static DeliveryStatus Parse(string name) => Enum.Parse<DeliveryStatus>(name, ignoreCase: true);

    public static NotificationStatus ToNotificationStatus(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Sent => NotificationStatus.Sent,
        DeliveryStatus.Failed => NotificationStatus.Failed,
        DeliveryStatus.Cancelled => NotificationStatus.Cancelled,
        _ => NotificationStatus.Pending,
    };
}

/// <summary>A notification's row in the ledger.</summary>
public sealed record Delivery(
    string NotificationId,
    string? IncidentId,
    string? RotationId,
    DeliveryStatus Status,
    int Attempts,
    DateTimeOffset? SentAt,
    string? Error,
    string? ProviderMessageId,
    string? DeliveredVia,
    DateTimeOffset? UpdatedAt,
    bool FailedForGood = false)
{
    public DeliveryReport Report(DateTimeOffset now) =>
        new(NotificationId, DeliveryStatuses.ToNotificationStatus(Status), Attempts,
            (Status == DeliveryStatus.Sent ? SentAt : UpdatedAt) ?? now, Error, DeliveredVia, Permanent: FailedForGood);
}

/// <summary>A notification of an incident as the ledger has it, for a channel that changes what it sent (Slack updates).</summary>
public sealed record ChannelMessage(string NotificationId, DeliveryStatus Status, string? ProviderMessageId, string? DeliveredVia)
{
    /// <summary>The provider has it under <see cref="ProviderMessageId"/>: it was sent, not written to the log instead.</summary>
    public bool IsAtProvider => Status == DeliveryStatus.Sent && ProviderMessageId is not null && DeliveredVia is null;
}

/// <summary>What a claim on the ledger came to.</summary>
public abstract record Claim
{
    /// <summary>
    /// This consumer holds the notification now, and its attempt number <paramref name="Attempt"/> has begun (more than
    /// one when it took over from a holder that died).
    /// </summary>
    public sealed record Taken(int Attempt, Guid Token) : Claim;

    /// <summary>Another consumer is sending it right now: stand back, the outbox hands it over again if that one dies.</summary>
    public sealed record HeldElsewhere : Claim;

    /// <summary>It was sent, failed or cancelled already.</summary>
    public sealed record Settled(Delivery Delivery) : Claim;
}

/// <summary>
/// The silo that claims (its address in the cluster), and the silos whose claims stand however old their lease: those
/// alive in its view of the cluster's membership.
/// </summary>
public sealed record Claimant(string Silo, IReadOnlyCollection<string> LiveSilos);

/// <summary>What a channel claims in the ledger: one notification, who it is for, and what it belongs to.</summary>
public sealed record DeliveryClaim(string NotificationId, string? IncidentId, string? RotationId, string Recipient, string Channel, string? Address)
{
    public static DeliveryClaim For(PageRequest page, string? address) =>
        new(page.NotificationId, page.IncidentId, null, page.Kind == NotificationKind.ChannelPost ? $"{page.Channel}:{page.Target}" : page.UserId, page.Channel, address);

    public static DeliveryClaim For(AnnouncementRequest announcement, string? address) =>
        new(announcement.NotificationId, null, announcement.Owner == AnnouncementOwner.Rotation ? announcement.OwnerId : null,
            announcement.UserId ?? $"slack:{announcement.SlackChannel}", announcement.Channel, address);
}

/// <summary>One call to a provider, as the attempt log keeps it.</summary>
public sealed record AttemptRecord(int Number, DateTimeOffset StartedAt, string Outcome);
