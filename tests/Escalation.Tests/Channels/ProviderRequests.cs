using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using WireMock.Server;

namespace Escalation.Tests.Channels;

/// <summary>What a fake provider received, read back the way the provider would read it.</summary>
public static class ProviderRequests
{
    public static List<JsonNode> SlackPosts(this WireMockServer slack, string channel, bool acceptedOnly = false) =>
        Entries(slack, acceptedOnly).Where(e => e.RequestMessage!.Path == "/api/chat.postMessage")
            .Select(e => JsonNode.Parse(e.RequestMessage!.Body!)!)
            .Where(j => j["channel"]?.GetValue<string>() == channel).ToList();

    public static List<JsonNode> SlackUpdates(this WireMockServer slack, string channel) =>
        slack.LogEntries.Where(e => e.RequestMessage!.Path == "/api/chat.update")
            .Select(e => JsonNode.Parse(e.RequestMessage!.Body!)!)
            .Where(j => j["channel"]?.GetValue<string>() == channel).ToList();

    /// <summary>What a Discord channel's webhook was asked to post (POST) or to edit (PATCH), with its path and query.</summary>
    public static List<WireMock.IRequestMessage> DiscordCalls(this WireMockServer discord, string channel, string method, bool acceptedOnly = false) =>
        Entries(discord, acceptedOnly).Select(e => e.RequestMessage!)
            .Where(r => r.Method == method && r.Path.StartsWith(ProviderFakes.DiscordWebhookPath(channel), StringComparison.Ordinal)).ToList();

    public static List<Dictionary<string, string>> Sms(this WireMockServer twilio, string to, bool acceptedOnly = false) =>
        Entries(twilio, acceptedOnly).Where(e => e.RequestMessage!.Path.EndsWith("/Messages.json"))
            .Select(e => QueryHelpers.ParseQuery(e.RequestMessage!.Body).ToDictionary(p => p.Key, p => p.Value.ToString()))
            .Where(f => f.GetValueOrDefault("To") == to).ToList();

    public static List<JsonNode> Mails(this WireMockServer sendGrid, string to, bool acceptedOnly = false) =>
        Entries(sendGrid, acceptedOnly).Where(e => e.RequestMessage!.Path == "/v3/mail/send")
            .Select(e => JsonNode.Parse(e.RequestMessage!.Body!)!)
            .Where(j => j["personalizations"]![0]!["to"]![0]!["email"]!.GetValue<string>() == to).ToList();

    /// <summary>What the fake received; with <paramref name="acceptedOnly"/>, only what it answered with a 2xx.</summary>
    private static IEnumerable<WireMock.Logging.ILogEntry> Entries(WireMockServer server, bool acceptedOnly) =>
        acceptedOnly ? server.LogEntries.Where(e => StatusOf(e) is >= 200 and < 300) : server.LogEntries;

    /// <summary>WireMock keeps the status as it was given: an int, an HttpStatusCode or a string.</summary>
    private static int StatusOf(WireMock.Logging.ILogEntry entry) => entry.ResponseMessage?.StatusCode switch
    {
        int code => code,
        System.Net.HttpStatusCode code => (int)code,
        string text when int.TryParse(text, out var code) => code,
        _ => 0,
    };

    public static Task<T> Until<T>(Func<T> read, Func<T, bool> done, string what, TimeSpan? timeout = null) =>
        Escalation.Testing.Eventually.Get(() => Task.FromResult(read()), done, what, timeout);
}
