namespace Escalation.Silo.Notifications;

/// <summary>
/// Thrown after a notification has failed for good and the failure was recorded and reported: it moves the
/// message to MassTransit's error queue, the dead-letter of record. It is never retried.
/// </summary>
public sealed class DeliveryFailedException(string notificationId, string error)
    : Exception($"Notification {notificationId} could not be delivered: {error}");
