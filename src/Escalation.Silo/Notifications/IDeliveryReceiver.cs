namespace Escalation.Silo.Notifications;

/// <summary>
/// The one way back from a channel or a provider's webhook: outcomes are reported here, never written to the ledger or
/// told to an incident by the channel itself.
/// </summary>
public interface IDeliveryReceiver
{
    /// <summary>
    /// A provider's later word on a message it accepted (a Twilio status callback): provider message
    /// <paramref name="providerMessageId"/> is now <paramref name="providerStatus"/>, failed with <paramref name="failure"/>
    /// when that is not null. <paramref name="senderNotificationId"/> is the notification that sent it, when the
    /// provider names it (the callback can beat that send's settle).
    /// </summary>
    Task ProviderStatus(string providerMessageId, string? senderNotificationId, string providerStatus, string? failure);
}
