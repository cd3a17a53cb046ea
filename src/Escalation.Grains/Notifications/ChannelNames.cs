namespace Escalation.Notifications;

/// <summary>The channels a notification can go out on. <see cref="Log"/> is the built-in one that always works.</summary>
public static class ChannelNames
{
    public const string Slack = "slack";
    public const string Sms = "sms";
    public const string Email = "email";
    public const string Log = "log";

    /// <summary>Post-only: an incident's post in a Discord channel, through its incoming webhook. Nobody is paged on it.</summary>
    public const string Discord = "discord";

    /// <summary>The order in which a failed high-urgency page falls back: email is the backup of last resort.</summary>
    public static readonly IReadOnlyList<string> FallbackOrder = [Slack, Sms, Email];

    public static bool IsContactChannel(string channel) => FallbackOrder.Contains(channel);

    /// <summary>Where a channel stands in the fallback order; channels outside it come last.</summary>
    public static int FallbackRank(string channel) => FallbackOrder.Contains(channel) ? FallbackOrder.ToList().IndexOf(channel) : int.MaxValue;
}
