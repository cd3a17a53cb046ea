using System.Text.Json.Serialization;
using Escalation.Notifications;

namespace Escalation.Configuration;

[GenerateSerializer, Alias("escalation.user")]
public sealed record User(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Email,
    [property: Id(3)] string? Phone,
    [property: Id(4)] string? SlackUserId,
    [property: Id(5)] string TimeZone,
    [property: Id(6)] IReadOnlyList<NotificationRule>? NotificationRules = null,
    // When the phone replied STOP: kept with the number (sms_opt_outs), not in the configuration a PUT replaces.
    [property: Id(7), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? SmsStoppedAt = null)
{
    /// <summary>Where this user is reached on a channel; null when they have no address there.</summary>
    public string? AddressFor(string channel) => channel switch
    {
        ChannelNames.Slack => SlackUserId,
        ChannelNames.Sms => Phone,
        ChannelNames.Email => Email,
        _ => null,
    };

    /// <summary>Whether a page on the channel can reach this user: they have an address there and have not turned it off.</summary>
    public bool Reachable(string channel) => AddressFor(channel) is not null && !(channel == ChannelNames.Sms && SmsStoppedAt is not null);
}
