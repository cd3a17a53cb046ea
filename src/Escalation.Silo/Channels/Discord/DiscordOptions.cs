using System.Text.RegularExpressions;

namespace Escalation.Silo.Channels.Discord;

/// <summary>
/// The Discord channels incidents may be posted in, each by its name: <c>Escalation:Discord:Channels:{name}</c> is
/// that channel's incoming webhook URL. The URL carries the webhook's token, so it is a secret: never logged, never
/// shown in an error, a timeline or the ledger (which name the channel instead).
/// </summary>
public sealed partial class DiscordOptions
{
    public const string Section = "Escalation:Discord";

    public Dictionary<string, string> Channels { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool Configured => Channels.Count > 0;

    /// <summary>The configured webhook of a channel name, whatever its case; null for a name that is not configured.</summary>
    public Uri? WebhookFor(string channel)
    {
        var url = Channels.TryGetValue(channel, out var exact) ? exact
            : Channels.FirstOrDefault(c => string.Equals(c.Key, channel, StringComparison.OrdinalIgnoreCase)).Value;
        return IsWebhookUrl(url) ? new Uri(url!) : null;
    }

    /// <summary>The setting that holds a channel's webhook, for messages that must name it without showing it.</summary>
    public static string SettingFor(string channel) => $"{Section}:Channels:{channel}";

    public static bool IsWebhookUrl(string? value) =>
        ChannelSettingsValidation.IsHttpUrl(value) && new Uri(value!) is { UserInfo.Length: 0, Fragment.Length: 0 };

    /// <summary>The names routes may use: what a configuration key and an API field can both hold.</summary>
    public static bool IsChannelName(string? name) => name is not null && ChannelNamePattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ChannelNamePattern();
}
