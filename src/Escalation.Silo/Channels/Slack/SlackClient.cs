using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Channels.Slack;

/// <summary>
/// The Slack Web API calls the Slack channel needs, and replies to interactions. Every failure comes back as a
/// <see cref="DeliveryOutcome"/> (or false); only the caller's own cancellation throws.
/// </summary>
public sealed class SlackClient(HttpClient http, IOptions<SlackOptions> options)
{
    private const string JsonMediaType = "application/json";

    /// <summary>chat.postMessage. Delivered carries "channel/ts" from Slack's answer; a DM to a user id answers with its D… channel.</summary>
    public Task<DeliveryOutcome> PostMessage(SlackPost post, CancellationToken ct)
    {
        var body = new JsonObject { ["channel"] = post.Channel, ["text"] = post.Text };
        if (post.Blocks is not null)
            body["blocks"] = post.Blocks.DeepClone();
        if (post.ThreadTs is not null)
            body["thread_ts"] = post.ThreadTs;
        body["unfurl_links"] = false;
        return CallWebApi("chat.postMessage", body, post.Channel, ct);
    }

    /// <summary>chat.update of a message this app posted, e.g. to take the buttons away once resolved.</summary>
    public Task<DeliveryOutcome> UpdateMessage(string channel, string ts, string text, JsonArray? blocks, CancellationToken ct)
    {
        var body = new JsonObject { ["channel"] = channel, ["ts"] = ts, ["text"] = text };
        if (blocks is not null)
            body["blocks"] = blocks.DeepClone();
        return CallWebApi("chat.update", body, channel, ct);
    }

    /// <summary>
    /// Tells only the person who clicked something (ephemeral), through the interaction's response_url.
    /// The URL comes from a request body, so anything outside <see cref="SlackOptions.ResponseUrlBase"/> is refused
    /// without a request being made.
    /// </summary>
    public async Task<bool> RespondEphemeral(Uri responseUrl, string text, CancellationToken ct)
    {
        if (!IsSlackResponseUrl(responseUrl))
            return false;

        var body = new JsonObject { ["response_type"] = "ephemeral", ["replace_original"] = false, ["text"] = text };
        using var request = new HttpRequestMessage(HttpMethod.Post, responseUrl) { Content = Json(body) };
        try
        {
            using var response = await http.SendAsync(request, ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ProviderCallFailure.IsTransient(ex, ct))
        {
            return false;
        }
    }

    private async Task<DeliveryOutcome> CallWebApi(string method, JsonObject body, string channel, CancellationToken ct)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.BotToken))
            return new DeliveryOutcome.Permanent("slack: no bot token configured");

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{settings.ApiBaseUrl.TrimEnd('/')}/{method}")
        {
            Content = Json(body),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.BotToken);
        return await ProviderCallFailure.Call("slack", method, async () =>
        {
            using var response = await http.SendAsync(request, ct);
            var answer = await response.Content.ReadAsStringAsync(ct);
            return SlackApiOutcome.From(response, answer, method, channel);
        }, ct);
    }

    private bool IsSlackResponseUrl(Uri url)
    {
        if (!url.IsAbsoluteUri || url.UserInfo.Length > 0 || !Uri.TryCreate(options.Value.ResponseUrlBase, UriKind.Absolute, out var allowed))
            return false;
        var allowedPath = allowed.AbsolutePath.EndsWith('/') ? allowed.AbsolutePath : allowed.AbsolutePath + "/";
        return string.Equals(url.Scheme, allowed.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(url.IdnHost, allowed.IdnHost, StringComparison.OrdinalIgnoreCase)
            && url.Port == allowed.Port
            && url.AbsolutePath.StartsWith(allowedPath, StringComparison.Ordinal);
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, JsonMediaType);
}
