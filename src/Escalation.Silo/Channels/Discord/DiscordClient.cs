using System.Text;
using System.Text.Json.Nodes;

namespace Escalation.Silo.Channels.Discord;

/// <summary>
/// The incoming webhook calls the Discord channel needs. Every failure comes back as a <see cref="DeliveryOutcome"/>;
/// only the caller's own cancellation throws. The webhook URL is a secret and appears in no outcome.
/// </summary>
public sealed class DiscordClient(HttpClient http)
{
    /// <summary>Posts a message; Delivered carries the id of the message Discord made.</summary>
    public Task<DeliveryOutcome> Execute(Uri webhook, JsonObject message, CancellationToken ct) =>
        Send(HttpMethod.Post, DiscordWebhook.Execute(webhook), message, "execute webhook", editing: false, ct);

    /// <summary>Rewrites a message the webhook posted. A message that was deleted meanwhile is Delivered: nothing is left to rewrite.</summary>
    public Task<DeliveryOutcome> Edit(Uri webhook, string messageId, JsonObject message, CancellationToken ct) =>
        Send(HttpMethod.Patch, DiscordWebhook.EditMessage(webhook, messageId), message, "edit message", editing: true, ct);

    private async Task<DeliveryOutcome> Send(HttpMethod method, Uri url, JsonObject message, string call, bool editing, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url)
        {
            Content = new StringContent(message.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        return await ProviderCallFailure.Call("discord", call, async () =>
        {
            using var response = await http.SendAsync(request, ct);
            var answer = await response.Content.ReadAsStringAsync(ct);
            return DiscordApiOutcome.From(response, answer, call, editing);
        }, ct);
    }
}
