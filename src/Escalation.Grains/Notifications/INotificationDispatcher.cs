namespace Escalation.Notifications;

/// <summary>
/// Hands pages to the bus. It must not block a grain turn: implementations queue and return at once.
/// Delivery is at-least-once; the channels make it exactly-once per notification id.
/// </summary>
public interface INotificationDispatcher
{
    void Dispatch(IReadOnlyList<PageRequest> pages);
}
