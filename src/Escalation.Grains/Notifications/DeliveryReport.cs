namespace Escalation.Notifications;

/// <summary>What a channel reports back to the incident about one page.</summary>
[GenerateSerializer, Alias("escalation.delivery-report")]
public sealed record DeliveryReport(
    [property: Id(0)] string NotificationId,
    [property: Id(1)] NotificationStatus Status,
    [property: Id(2)] int Attempts,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string? Error,
    [property: Id(5)] string? DeliveredVia = null,
    // Failed for this recipient for good (an invalid number, STOP): paging them again the same way cannot help.
    [property: Id(6)] bool Permanent = false);
