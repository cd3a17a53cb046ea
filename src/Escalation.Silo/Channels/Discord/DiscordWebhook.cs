namespace Escalation.Silo.Channels.Discord;

/// <summary>
/// The two calls on an incoming webhook: execute it (<c>?wait=true</c>, so that Discord answers with the message and
/// its id) and edit one of its messages. A query the operator put on the URL (<c>thread_id</c>) is kept on both.
/// </summary>
public static class DiscordWebhook
{
    public static Uri Execute(Uri webhook) => With(webhook, webhook.AbsolutePath, "wait=true");

    public static Uri EditMessage(Uri webhook, string messageId) =>
        With(webhook, $"{webhook.AbsolutePath.TrimEnd('/')}/messages/{Uri.EscapeDataString(messageId)}", null);

    private static Uri With(Uri webhook, string path, string? parameter)
    {
        var query = webhook.Query.TrimStart('?');
        if (parameter is not null) query = query.Length == 0 ? parameter : $"{query}&{parameter}";
        return new UriBuilder(webhook) { Path = path, Query = query }.Uri;
    }
}
