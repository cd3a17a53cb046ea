using Microsoft.Extensions.Options;

namespace Escalation.Silo.Channels.Discord;

/// <summary>Checked when the service starts: each failure names the setting, never its value (the webhook's token).</summary>
internal sealed class DiscordOptionsValidation : IValidateOptions<DiscordOptions>
{
    public ValidateOptionsResult Validate(string? name, DiscordOptions options)
    {
        var failures = new List<string>();
        foreach (var (channel, url) in options.Channels)
        {
            if (!DiscordOptions.IsChannelName(channel))
                failures.Add($"{DiscordOptions.SettingFor(channel)}: a Discord channel's name must be 1 to 64 letters, digits, '-' or '_'.");
            else if (!DiscordOptions.IsWebhookUrl(url))
                failures.Add($"{DiscordOptions.SettingFor(channel)} must be the channel's incoming webhook URL, such as https://discord.com/api/webhooks/ID/TOKEN.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
