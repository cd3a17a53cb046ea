namespace Escalation.Notifications;

/// <summary>
/// Hands notifications (pages, announcements) to the bus. It must not block a grain turn: implementations queue
/// and return at once. Delivery is at-least-once; the channels make it exactly-once per notification id.
/// </summary>
public interface INotificationDispatcher
{
    void Dispatch(IReadOnlyList<INotificationMessage> messages);
}
