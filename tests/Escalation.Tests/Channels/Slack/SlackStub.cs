using System.Text.Json.Nodes;
using Escalation.Silo.Channels.Slack;
using Microsoft.Extensions.Options;
using WireMock;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Escalation.Tests.Channels.Slack;

/// <summary>A stand-in for slack.com and hooks.slack.com, and a <see cref="SlackClient"/> pointed at it.</summary>
public sealed class SlackStub : IDisposable
{
    public WireMockServer Server { get; } = WireMockServer.Start();

    public string Url => Server.Url!;

    public SlackOptions Settings => new()
    {
        ApiBaseUrl = Url + "/api/",
        ResponseUrlBase = Url + "/actions/",
        BotToken = "xoxb-test",
        SigningSecret = "s",
    };

    public SlackClient Client(TimeSpan? timeout = null, SlackOptions? options = null) =>
        new(new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(10) }, Options.Create(options ?? Settings));

    public void Answer(string path, int status, string body, TimeSpan? delay = null, params (string Name, string Value)[] headers)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        foreach (var (name, value) in headers)
            response = response.WithHeader(name, value);
        if (delay is { } d)
            response = response.WithDelay(d);
        Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(path).UsingPost()).RespondWith(response);
    }

    /// <summary>
    /// The requests the stub received. WireMock records a request only after answering it, so this waits a moment
    /// for the record rather than racing it.
    /// </summary>
    public async Task<IReadOnlyList<IRequestMessage>> Received(int expected)
    {
        for (var waited = 0; Server.LogEntries.Count() < expected && waited < 5000; waited += 20)
            await Task.Delay(20);
        return Server.LogEntries.Select(entry => entry.RequestMessage!).ToList();
    }

    public static string? Header(IRequestMessage request, string name) =>
        request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    public static JsonObject Body(IRequestMessage request) => JsonNode.Parse(request.Body!)!.AsObject();

    public void Dispose() => Server.Dispose();
}
