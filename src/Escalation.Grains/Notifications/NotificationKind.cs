namespace Escalation.Notifications;

[GenerateSerializer, Alias("escalation.notification-kind")]
public enum NotificationKind
{
    /// <summary>A page to one person.</summary>
    Page,

    /// <summary>The incident posted in its service's Slack channel, or in its route's Discord channel.</summary>
    ChannelPost,

    /// <summary>
    /// After an acknowledgement, resolution or escalation: the incident's Slack messages are rewritten in place
    /// and the event is told in the channel post's thread.
    /// </summary>
    SlackUpdate,

    /// <summary>After the same turns as a <see cref="SlackUpdate"/>: the incident's Discord post is rewritten in place.</summary>
    DiscordUpdate,

    /// <summary>
    /// A reminder to one person, in a direct message or by email, carrying its text (a status update owed). It is not
    /// a page: nobody is woken by SMS for it, and it is never rewritten by a Slack update.
    /// </summary>
    Reminder,
}
