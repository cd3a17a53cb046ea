namespace Escalation.Silo.Notifications;

/// <summary>Each channel has its own queue on the bus; the dispatcher sends a notification to its channel's queue.</summary>
public static class ChannelQueues
{
    public static string Name(string channel) => $"notifications-{channel}";

    public static Uri Address(string channel) => new($"queue:{Name(channel)}");
}
